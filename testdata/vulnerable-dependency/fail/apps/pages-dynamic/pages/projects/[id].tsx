import type { GetServerSidePropsContext } from 'next'
import { loadProject } from '../../lib/projects'

export async function getServerSideProps(ctx: GetServerSidePropsContext) {
  return { props: { project: await loadProject(String(ctx.params?.id)) } }
}

export default function Project({ project }: { project: { name: string } }) {
  return <h1>Project {project.name}</h1>
}
