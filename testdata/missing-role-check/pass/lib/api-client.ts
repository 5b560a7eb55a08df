export function createApiClient() {
  return {
    users: {
      async deleteUser(id: string) {
        return fetch(`https://api.example.com/users/${id}`, { method: 'DELETE' })
      },
    },
  }
}
