export const prisma = {
  $queryRaw: async (..._args: unknown[]) => [] as unknown[],
}
