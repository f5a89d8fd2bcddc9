/** Whether a socket's remote address is this machine: the internal endpoints answer only such clients. */
export function isLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}
