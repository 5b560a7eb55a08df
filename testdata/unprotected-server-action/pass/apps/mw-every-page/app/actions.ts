'use server'

export async function archive(id: string) {
  return id
}
