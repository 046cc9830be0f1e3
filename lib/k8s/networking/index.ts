export { INetworkPeer, NetworkPeer, NetworkPeerConfig, NetworkPeerOptions, NetworkConnection } from './network-peer';
