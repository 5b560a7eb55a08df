export async function exportAll() {
  return [] as string[]
}

export async function purge() {}
