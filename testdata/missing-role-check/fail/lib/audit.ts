export async function audit(action: string, ids: string[]) {
  console.log(action, ids.length)
}
