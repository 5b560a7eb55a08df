export async function listRows() {
  return [] as string[]
}
