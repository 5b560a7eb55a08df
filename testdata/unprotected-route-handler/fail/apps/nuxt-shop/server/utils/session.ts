// Reads the session but never rejects: a signed-out caller gets `null`.
export function currentUserId(event: H3Event) {
  return event.context.auth().userId
}
