/** An HTTP Basic `Authorization` value (RFC 7617); an absent password is empty, as registries expect for tokens. */
export function basicAuth(username: string, password = ''): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
