// A body-mass calculator: the answer is arithmetic on the two posted numbers.
export const action = async ({ request }: { request: Request }) => {
  if (request.method === 'POST') {
    const form: FormData = await request.formData()
    const mass = Number(form.get('mass'))
    const height = parseFloat(String(form.get('height')))
    const index = mass / (height * height)
    return Response.json({ index: index.toFixed(1) })
  }
  return null
}

export default function Calculator() {
  return null
}
