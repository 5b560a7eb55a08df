export const customers = new Map<string, { email: string; plan: string }>()
