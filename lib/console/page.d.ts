// The console build's output (lib/console/build.ts), declared so type-checking does not wait for a build.
declare module '*/console/dist/page.json' {
  const page: import('./build.js').ConsolePage;
  export default page;
}
