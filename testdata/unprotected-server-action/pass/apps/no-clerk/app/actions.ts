'use server'

export async function ping() {
  return 'pong'
}
