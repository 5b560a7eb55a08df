export function verifyKofiToken(body: { verification_token?: string }) {
  return body.verification_token === process.env.KOFI_VERIFICATION_TOKEN
}
