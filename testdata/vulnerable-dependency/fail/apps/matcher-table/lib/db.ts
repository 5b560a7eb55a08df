export async function listAccounts() { return [] }
