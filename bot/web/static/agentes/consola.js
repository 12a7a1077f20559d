// The agents' console: keeps the list and the transcript live by polling the server's HTML fragments
// (escaped by the server), raises a visible and audible notice when a conversation starts waiting, and
// prints. A file of its own, never inline, so the strict CSP holds.
"use strict";

(() => {
  const cuerpo = document.body;
  const imprimir = document.getElementById("imprimir");
  if (imprimir) imprimir.addEventListener("click", () => window.print());

  const ruta = cuerpo.dataset.sondeo;
  if (!ruta) return;
  const cada = Number(cuerpo.dataset.sondeoMs || 3000);
  const pagina = cuerpo.dataset.pagina;

  const esperando = () =>
    new Set(
      Array.from(document.querySelectorAll('#filas tr[data-estado="esperando"]'), (fila) => fila.dataset.ref),
    );
  let vistos = pagina === "lista" ? esperando() : new Set();

  function sonar() {
    // A short tone with the Web Audio API: no sound file, nothing inline. Browsers may hold it until the
    // agent has interacted with the page; the visible notice is there regardless.
    const Contexto = window.AudioContext || window.webkitAudioContext;
    if (!Contexto) return;
    try {
      const ctx = new Contexto();
      const tono = ctx.createOscillator();
      const volumen = ctx.createGain();
      tono.frequency.value = 880;
      volumen.gain.value = 0.08;
      tono.connect(volumen).connect(ctx.destination);
      tono.start();
      tono.stop(ctx.currentTime + 0.35);
    } catch (_error) {
      // No audio device: the notice on screen is enough.
    }
  }

  function avisar(cuantas) {
    const aviso = document.getElementById("aviso");
    if (!aviso) return;
    aviso.textContent =
      cuantas === 1 ? "Una conversación nueva espera agente." : `${cuantas} conversaciones nuevas esperan agente.`;
    aviso.hidden = false;
    sonar();
  }

  function dibujarLista(html) {
    document.getElementById("filas").innerHTML = html;
    const ahora = esperando();
    const nuevas = Array.from(ahora).filter((ref) => !vistos.has(ref)).length;
    if (nuevas > 0) avisar(nuevas);
    vistos = ahora;
  }

  function dibujarTranscripcion(html) {
    const plantilla = document.createElement("template");
    plantilla.innerHTML = html;
    const nueva = plantilla.content.getElementById("transcripcion");
    const vieja = document.getElementById("transcripcion");
    if (nueva && vieja && nueva.dataset.ultimo !== vieja.dataset.ultimo) vieja.replaceWith(nueva);
  }

  async function sondear() {
    try {
      const url = pagina === "lista" ? ruta + window.location.search : ruta;
      const respuesta = await fetch(url, { credentials: "same-origin", headers: { accept: "text/html" } });
      if (respuesta.redirected && new URL(respuesta.url).pathname === "/agentes/login") {
        window.location.assign("/agentes/login");
        return;
      }
      if (respuesta.ok) {
        const html = await respuesta.text();
        if (pagina === "lista") dibujarLista(html);
        else dibujarTranscripcion(html);
      }
    } catch (_error) {
      // The server is restarting or the network dropped: try again at the next round.
    }
    window.setTimeout(sondear, cada);
  }

  window.setTimeout(sondear, cada);
})();
