// Only getServerSideProps uses this module: Next.js strips it from the browser bundle.
export const adminClient = { list: (k: string) => [k], clerk: 'sk_live_sM6jUjapNFiGtpjgOJIlzrO704a719RAnSItZInIhT' }
