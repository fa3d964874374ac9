"use client";

import { useEffect, useRef, useState } from "react";

/**
 * An email's HTML in a frame of its own (its styles stay out of the app's), as tall as its content. The frame
 * runs no script (no `allow-scripts`); same-origin only so the page can read the content's height, and links
 * open in a new tab.
 */
export function EmailFrame({ html, title }: { html: string; title: string }) {
  const ref = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(1900);
  const fitToContent = () => {
    const doc = ref.current?.contentDocument;
    if (!doc) return;
    for (const a of doc.querySelectorAll("a")) a.target = "_blank";
    setHeight(doc.documentElement.scrollHeight + 2);
  };
  // A srcdoc frame often loads before the page hydrates, so its load event is missed: fitted once on mount too.
  // biome-ignore lint/correctness/useExhaustiveDependencies: fitToContent reads the frame, once per document
  useEffect(() => {
    if (ref.current?.contentDocument?.readyState === "complete") fitToContent();
  }, [html]);
  return (
    <iframe
      ref={ref}
      title={title}
      srcDoc={html}
      onLoad={fitToContent}
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      style={{ height }}
      className="w-full rounded-lg border border-slate-200 bg-slate-100"
    />
  );
}
