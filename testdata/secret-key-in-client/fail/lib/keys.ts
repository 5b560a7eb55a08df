export const clerkKeys = {
  secret: 'sk_live_f7z5aHfRMgviz9gb4PQ1EfIalQLVQlmj6GUitAVrJc', // expect: secret-key-in-client
}
