/// The style sheet inlined into every HTML report: system fonts, a readable measure, zebra
/// tables, responsive figures and a print layout. It contains no `<` or `&`, so the report stays
/// well-formed XML.
enum ReportStyle {
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body {
          margin: 0; background: #f3f4f6; color: #1f2937;
          font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans",
            "DejaVu Sans", Arial, sans-serif;
          -webkit-text-size-adjust: 100%;
        }
        main {
          max-width: 1100px; margin: 0 auto; padding: 2.5rem clamp(1rem, 4vw, 3rem) 3rem;
          background: #ffffff; min-height: 100vh;
        }
        header h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 0.4rem; letter-spacing: -0.01em; }
        header .subtitle { margin: 0; color: #4b5563; }
        header .summary { margin: 0.35rem 0 0; color: #6b7280; font-size: 0.9rem; }
        h2 {
          font-size: 1.45rem; line-height: 1.3; margin: 2.75rem 0 0.9rem; padding-bottom: 0.4rem;
          border-bottom: 1px solid #e5e7eb; display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.3rem 0.8rem;
        }
        h3 { font-size: 1.1rem; margin: 1.8rem 0 0.5rem; }
        p, ul { max-width: 75ch; }
        li { margin: 0.15rem 0; }
        a { color: #1d4ed8; text-decoration: none; }
        a:hover { text-decoration: underline; }
        .duration {
          font-size: 0.8rem; font-weight: 500; color: #374151; background: #f3f4f6; border: 1px solid #e5e7eb;
          border-radius: 999px; padding: 0.05rem 0.6rem; font-variant-numeric: tabular-nums; white-space: nowrap;
        }
        nav.toc {
          background: #f9fafb; border: 1px solid #e5e7eb; border-radius: 10px; padding: 1rem 1.5rem;
          margin: 2rem 0; max-width: 75ch;
        }
        nav.toc h2 {
          border: 0; margin: 0 0 0.4rem; padding: 0; font-size: 0.8rem; text-transform: uppercase;
          letter-spacing: 0.08em; color: #6b7280;
        }
        nav.toc ol { margin: 0; padding-left: 1.4rem; }
        nav.toc li .duration { margin-left: 0.5rem; font-size: 0.75rem; }
        .table-wrapper { overflow-x: auto; margin: 1.25rem 0 1.75rem; }
        table { border-collapse: collapse; font-size: 0.92rem; font-variant-numeric: tabular-nums; }
        caption { caption-side: top; text-align: left; padding: 0 0 0.5rem; color: #374151; }
        th, td { padding: 0.42rem 0.9rem; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
        thead th { border-bottom: 2px solid #d1d5db; background: #f9fafb; font-weight: 600; white-space: nowrap; }
        td.align-right, td.align-center { white-space: nowrap; }
        tbody tr:nth-child(even) { background: #f9fafb; }
        tbody tr:hover { background: #eef2ff; }
        table.key-value th { text-align: left; font-weight: 500; color: #4b5563; white-space: nowrap; }
        table.key-value td {
          font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.86rem;
        }
        figure { margin: 1.75rem 0 2rem; }
        figure .figure-body { overflow-x: auto; }
        figure svg, figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
        figure img { image-rendering: pixelated; }
        figcaption { margin: 0.6rem auto 0; color: #4b5563; font-size: 0.92rem; text-align: center; max-width: 75ch; }
        .label { font-weight: 600; color: #1f2937; }
        pre {
          background: #f3f4f6; border-radius: 8px; padding: 0.8rem 1rem; overflow-x: auto; font-size: 0.85rem;
          line-height: 1.25; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace;
        }
        footer { margin-top: 3.5rem; padding-top: 1rem; border-top: 1px solid #e5e7eb; color: #6b7280; font-size: 0.85rem; }
        @media print {
          body { background: #ffffff; }
          main { max-width: none; padding: 0; }
          figure, table, pre { break-inside: avoid; }
          h2 { break-after: avoid; }
          tbody tr:hover { background: inherit; }
        }
        """
}
