import { TerraformDataSource, TerraformResource } from 'cdktf';

/**
 * The Terraform address of a resource (`aws_vpc.x`), for raw expressions in conditions, where cdktf
 * tokens would resolve with braces.
 * @internal
 */
export function rawRef(element: TerraformResource): string {
  return `${element.terraformResourceType}.${element.friendlyUniqueId}`;
}

/**
 * The Terraform address of a data source (`data.aws_vpc.x`).
 * @internal
 */
export function rawDataRef(element: TerraformDataSource): string {
  return `data.${element.terraformResourceType}.${element.friendlyUniqueId}`;
}
