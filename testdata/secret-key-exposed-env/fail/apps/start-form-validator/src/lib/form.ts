export function createForm() {
  return { validator: (schema: unknown) => ({ schema }) }
}
