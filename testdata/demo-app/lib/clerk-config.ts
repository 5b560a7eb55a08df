export const clerkAppearance = {
  variables: { colorPrimary: '#4f46e5' },
}

// TODO: move to the server before launch
export const clerkBackend = {
  apiUrl: 'https://api.clerk.com',
  secretKey: 'sk_live_qIA1id6Vw5DQL05HA064GiIjHGb3CXlMaXZjljENUh',
}
