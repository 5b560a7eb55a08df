// A demo endpoint: it waits half a second, as a slow service would, then answers one of
// a few fixed captions. The pause waits for the clock only.
const CAPTIONS = ['a cat on a mat', 'a dog in the fog', 'a fox in a box']

export async function POST() {
  await new Promise((resolve) => setTimeout(resolve, 500))
  const caption = CAPTIONS[Math.floor(Math.random() * CAPTIONS.length)]
  return Response.json({ caption })
}
