import Header from 'components/Header';
import { sign } from 'lib/sign.mjs';
import { getAuth } from '@clerk/nextjs/server';
import fp from 'lodash/fp';
import styles from './index.module.css';

export async function getServerSideProps({ req }) {
  const { userId } = getAuth(req);
  const { track } = await import('../lib/track');
  track(userId);
  return { props: { sig: sign(userId) } };
}

export default function Home({ sig }) {
  const re = /import('nope')/;
  return <Header className={styles.main} title={`${sig} ${fp.identity(re)}`} />;
}
