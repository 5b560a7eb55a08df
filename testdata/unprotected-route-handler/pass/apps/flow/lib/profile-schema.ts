import { z } from 'zod'

export const profileSchema = z.object({ name: z.string().min(1), bio: z.string().max(280) })

// Throws a described error when the value does not fit.
export function validateOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value)
  if (!result.success) throw new Error(result.error.issues.map((i) => i.message).join(', '))
  return result.data
}
