// esbuild bundles the stylesheets main.tsx imports into one CSS file next to the script.
declare module '*.css';
