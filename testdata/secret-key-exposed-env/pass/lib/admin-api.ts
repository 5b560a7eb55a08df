// Only getServerSideProps uses it: not in the browser bundle.
export async function adminApi(userId: string | null, secret?: string) {
  return `${userId}:${Boolean(secret ?? process.env.ADMIN_API_TOKEN)}`
}
