/**
 * What we add to @jupyter/builder's configuration (package.json's
 * `jupyterlab.webpackConfig`), for the bytes of a page's start
 * (bench/README.md, "Bytes on the start path").
 *
 * The CSS is minified (lightningcss) before css-loader makes it a string in
 * a JavaScript module: the builder's css-loader keeps the comments and the
 * indentation, and every page loads our styles (the `./style` expose).
 *
 * #### Notes
 * Not done: one chunk for both exposes every page loads (the plugins and
 * the styles, with a `splitChunks` cache group). It saves 0.3 KiB
 * gzipped and a request, but the styles' expose then resolves the
 * plugins' shared modules too, and our start-up scripting doubled (21 to
 * 49 ms, `BENCH_ONLY=cpu`, 6 loads each).
 */
module.exports = {
  module: {
    rules: [
      {
        // The builder's own rule for CSS (style-loader, css-loader); a
        // module matching both rules runs this loader first.
        test: /(?<!\.raw)\.css$/,
        use: [
          {
            loader: 'builtin:lightningcss-loader',
            options: { minify: true }
          }
        ]
      }
    ]
  }
};
