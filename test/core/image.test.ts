import { Errors, ImageRef } from '../../lib/core';

describe('ImageRef', () => {
  test('parses registry, repository, tag and digest', () => {
    const d = 'sha256:' + 'a'.repeat(64);
    const r = ImageRef.parse(`registry.example.com:5000/acme/api:1.4.2@${d}`);
    expect([r.registry, r.repository, r.tag, r.digest, r.pinnedByDigest]).toEqual(['registry.example.com:5000', 'acme/api', '1.4.2', d, true]);
    expect(r.toString()).toBe(`registry.example.com:5000/acme/api:1.4.2@${d}`);
  });
  test('docker hub short names have no registry', () => {
    const r = ImageRef.parse('library/nginx:1.27');
    expect([r.registry, r.repository, r.tag]).toEqual([undefined, 'library/nginx', '1.27']);
  });
  test('digest without tag is accepted', () => {
    expect(ImageRef.parse('nginx@sha256:' + 'b'.repeat(64)).tag).toBeUndefined();
  });
  test('latest refused', () => {
    expect(() => ImageRef.parse('nginx:latest')).toThrow('<input>: image ("nginx:latest") uses the mutable "latest" tag');
  });
  test('tag-less refused', () => {
    expect(() => ImageRef.parse('ghcr.io/acme/api')).toThrow(/has no tag and no digest, so it means "latest"/);
  });
  test('latest allowed when asked', () => {
    expect(ImageRef.parse('nginx:latest', { allowLatest: true }).tag).toBe('latest');
    expect(ImageRef.parse('nginx', { allowLatest: true }).tag).toBeUndefined();
  });
  test.each([
    ['nginx@sha256:xyz', /digest that is not "sha256:"/],
    ['Nginx:1.0', /repository that is not lowercase/],
    ['nginx:-bad', /tag that is not 1-128 characters/],
    ['', /empty or contains white space/],
  ])('refuses %j', (ref, msg) => {
    let err: any;
    try { ImageRef.parse(ref as string); } catch (e) { err = e; }
    expect(Errors.isValidationError(err)).toBe(true);
    expect(err.message).toMatch(msg as RegExp);
    expect(err.message).toMatch(/write it as \[registry\/\]repository:tag/);
  });
});
