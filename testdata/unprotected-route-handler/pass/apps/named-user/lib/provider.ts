// Asks the payment provider's API whether it sent this notification.
export async function verifyWithProvider(req: Request): Promise<boolean> {
  const res = await fetch('https://api.provider.example/v1/notifications/verify', {
    method: 'POST',
    body: await req.clone().text(),
  })
  return res.ok
}
