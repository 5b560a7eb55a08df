'use client';

export default function Chart() {
  return <svg />;
}
