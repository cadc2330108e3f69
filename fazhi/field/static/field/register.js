/* Installs the service worker once a signed-in user opens any page, so field pages work offline later. */
if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(() => null);
  });
}
