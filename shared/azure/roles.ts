// Azure built-in roles a step needs, named in its inputs' descriptions and in the advice it gives. Kept apart from the
// ARM clients so a step's definition names them without loading those clients (and node:crypto) at start-up.

/** The built-in role that covers scope maps, tokens and generateCredentials without the rest of Contributor. */
export const TOKEN_ADMIN_ROLE = 'Container Registry Contributor and Data Access Configuration Administrator';
/** The built-in role for importImage (and reading what was imported). */
export const IMPORT_ROLE = 'Container Registry Data Importer and Data Reader';

/** Built-in AKS roles. */
export const CLUSTER_USER_ROLE = 'Azure Kubernetes Service Cluster User Role';
export const CLUSTER_ADMIN_ROLE = 'Azure Kubernetes Service Cluster Admin Role';
