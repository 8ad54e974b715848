/** The build-time data module the Vite plugin of src/node/vite-config.ts provides. */
declare module 'virtual:playground-data' {
  const data: import('../node/data.js').PlaygroundData;
  export default data;
}
