export function loader({ params }: { params: { doc: string } }) {
  return { doc: params.doc }
}
