export const clerkAppearance = {
  variables: { colorPrimary: '#4f46e5' },
}
