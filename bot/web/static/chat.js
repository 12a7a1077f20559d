// The web chat: a WhatsApp-like page over the REST API of bot/web/webchat.py, and nothing else.
//
// The server's transcript (GET …/messages?after=N) is what the page draws: every message on screen has
// its sequence number, and only numbers above the highest one seen are drawn, so polling never shows a
// message twice. A message being sent is drawn at once as a pending bubble; when the server answers, it
// is replaced by the transcript's copy together with the replies. If the transcript cannot be read just
// then, the POST's replies stand in ("provisional") until the next successful read replaces them.
// One request runs at a time (a queue), so a poll never races a message in flight.

const CLAVE_TOKEN = "asistente-imss.conversacion";
const cuerpo = document.body;
const API = cuerpo.dataset.api || "/api/webchat";
const SONDEO_MS = Number(cuerpo.dataset.sondeoMs) || 3000;
// Document links expire after an hour; one older than this is fetched again before it is opened.
const RENOVAR_ENLACE_MS = 50 * 60 * 1000;
const ESTADO_NORMAL = "Trámites del IMSS, sin filas";

const porId = (id) => document.getElementById(id);
const zona = porId("conversacion");
const lista = porId("mensajes");
const forma = porId("forma");
const campo = porId("texto");
const archivo = porId("archivo");
const escribiendo = porId("escribiendo");
const anuncios = porId("anuncios");
const alertas = porId("alertas");
const empezar = porId("empezar");
const estadoBarra = porId("estado");

const estado = {
  token: null,
  ultimoSeq: -1,
  ocupado: false,
  // payload → title of every button seen, so a tapped button reads as its title in the history too.
  titulos: new Map(),
  // The last text that could not be sent: sending it again reuses its message id (no double turn).
  fallido: null,
  // The name of the file being sent: the transcript describes uploads without their names.
  archivoEnviado: null,
  temporizador: null,
};

const formatoHora = new Intl.DateTimeFormat("es-MX", { hour: "numeric", minute: "2-digit" });

class ErrorHttp extends Error {
  constructor(respuesta) {
    super(`HTTP ${respuesta.status}`);
    this.respuesta = respuesta;
  }
}

const esNoEncontrada = (error) => error instanceof ErrorHttp && error.respuesta.status === 404;

// -- network ---------------------------------------------------------------------------------------

let cola = Promise.resolve();

function enCola(tarea) {
  const resultado = cola.then(tarea);
  cola = resultado.catch(() => undefined);
  return resultado;
}

async function pedir(ruta, opciones = {}) {
  const respuesta = await fetch(API + ruta, { credentials: "same-origin", cache: "no-store", ...opciones });
  if (!respuesta.ok) throw new ErrorHttp(respuesta);
  return respuesta;
}

function nuevoId() {
  // getRandomValues also works on plain http, where crypto.randomUUID does not exist.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function leerToken() {
  try {
    return localStorage.getItem(CLAVE_TOKEN);
  } catch {
    return null; // storage blocked: the chat still works, only a reload starts over
  }
}

function guardarToken(token) {
  try {
    if (token) localStorage.setItem(CLAVE_TOKEN, token);
    else localStorage.removeItem(CLAVE_TOKEN);
  } catch {
    // storage blocked: see leerToken
  }
}

async function abrirConversacion() {
  const datos = await (await pedir("/conversations", { method: "POST" })).json();
  estado.token = datos.conversation_id;
  estado.ultimoSeq = -1;
  estado.titulos.clear();
  guardarToken(estado.token);
}

async function conversacionPerdida() {
  // The stored token is unknown to the server (e.g. its database was reset): start a new one.
  estado.token = null;
  guardarToken(null);
  lista.replaceChildren();
  await abrirConversacion();
  nota("Tu conversación anterior ya no está disponible. Empezamos una nueva.");
}

async function sincronizar({ anunciar = true, seguir = cercaDelFinal() } = {}) {
  let entradas;
  try {
    entradas = await (await pedir(`/${estado.token}/messages?after=${estado.ultimoSeq}`)).json();
  } catch (error) {
    if (!esNoEncontrada(error)) throw error;
    await conversacionPerdida();
    actualizarInicio();
    return;
  }
  lista.querySelectorAll(".provisional").forEach((viejo) => viejo.remove());
  for (const entrada of entradas) {
    if (entrada.seq <= estado.ultimoSeq) continue;
    pintarEntrada(entrada, anunciar);
    estado.ultimoSeq = entrada.seq;
  }
  actualizarInicio();
  if (entradas.length && seguir) bajar();
}

// -- drawing ---------------------------------------------------------------------------------------

function burbuja(autor, texto, segundos) {
  const li = document.createElement("li");
  li.className = `mensaje ${autor}`;
  const parrafo = document.createElement("p");
  parrafo.className = "texto";
  const quien = document.createElement("span");
  quien.className = "solo-lector";
  quien.textContent = { persona: "Tú: ", asistente: "Asistente: " }[autor] ?? "Aviso: ";
  parrafo.append(quien, texto);
  if (!texto && autor === "asistente") parrafo.hidden = true;
  const hora = document.createElement("time");
  hora.className = "hora";
  const fecha = new Date(segundos * 1000);
  hora.dateTime = fecha.toISOString();
  hora.textContent = formatoHora.format(fecha);
  li.append(parrafo, hora);
  lista.append(li);
  return li;
}

function textoDePersona(texto) {
  if (!texto) {
    // Uploads are stored by description, never by content; the name is known only to the sender.
    const nombre = estado.archivoEnviado;
    estado.archivoEnviado = null;
    return nombre ? `📎 ${nombre}` : "📎 Archivo enviado";
  }
  return estado.titulos.get(texto) ?? texto;
}

function pintarEntrada(entrada, anunciar) {
  if (entrada.author === "persona") {
    burbuja("persona", textoDePersona(entrada.text), entrada.time).dataset.seq = entrada.seq;
    desactivarOpciones();
    return;
  }
  const li = pintarRespuesta(entrada, entrada.time);
  li.dataset.seq = entrada.seq;
  if (anunciar) anunciarRespuesta(entrada);
}

function pintarRespuesta(respuesta, segundos) {
  const li = burbuja("asistente", respuesta.text, segundos);
  const hora = li.querySelector(".hora");
  if (respuesta.buttons.length) {
    const opciones = document.createElement("div");
    opciones.className = "opciones";
    opciones.setAttribute("role", "group");
    opciones.setAttribute("aria-label", "Opciones");
    for (const { title, payload } of respuesta.buttons) {
      estado.titulos.set(payload, title);
      const boton = document.createElement("button");
      boton.type = "button";
      boton.className = "opcion";
      boton.textContent = title;
      boton.addEventListener("click", () => enviarTexto(payload, title, "opcion"));
      opciones.append(boton);
    }
    li.insertBefore(opciones, hora);
  }
  if (respuesta.document) li.insertBefore(enlaceDocumento(respuesta.document, li), hora);
  return li;
}

function enlaceDocumento(documento, li) {
  const enlace = document.createElement("a");
  enlace.className = "documento";
  enlace.href = documento.url;
  enlace.download = documento.filename;
  enlace.dataset.obtenido = String(Date.now());
  const icono = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  icono.setAttribute("viewBox", "0 0 24 24");
  icono.setAttribute("width", "32");
  icono.setAttribute("height", "32");
  icono.setAttribute("aria-hidden", "true");
  icono.setAttribute("focusable", "false");
  const trazo = document.createElementNS("http://www.w3.org/2000/svg", "path");
  trazo.setAttribute("fill", "#b3261e");
  trazo.setAttribute("d", "M6 2h9l5 5v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm8 1.5V8h4.5L14 3.5zM7 13v5h1.3v-1.6h.9a1.7 1.7 0 0 0 0-3.4H7zm1.3 1.1h.8a.6.6 0 0 1 0 1.2h-.8v-1.2zM11 13v5h1.6a2.5 2.5 0 0 0 0-5H11zm1.3 1.1h.3a1.4 1.4 0 0 1 0 2.8h-.3v-2.8zM15 13v5h1.3v-2h1.9v-1.1h-1.9v-.8h2.1V13H15z");
  icono.append(trazo);
  const nombre = document.createElement("span");
  nombre.textContent = documento.filename;
  const accion = document.createElement("span");
  accion.className = "accion";
  accion.textContent = "PDF · Descargar";
  nombre.append(accion);
  enlace.append(icono, nombre);
  enlace.addEventListener("click", (evento) => renovarSiVencio(evento, enlace, li));
  return enlace;
}

async function renovarSiVencio(evento, enlace, li) {
  if (Date.now() - Number(enlace.dataset.obtenido) < RENOVAR_ENLACE_MS || !li.dataset.seq) return;
  evento.preventDefault();
  const seq = Number(li.dataset.seq);
  try {
    const entradas = await (await pedir(`/${estado.token}/messages?after=${seq - 1}`)).json();
    const entrada = entradas.find((e) => e.seq === seq);
    if (!entrada?.document) throw new Error("sin documento");
    enlace.href = entrada.document.url;
    enlace.dataset.obtenido = String(Date.now());
    enlace.click();
  } catch {
    aviso("No pude preparar tu documento. Revisa tu conexión y vuelve a tocarlo.");
  }
}

function desactivarOpciones() {
  // Options answer the question they came with; once the person has said something else they are spent.
  const enUnaOpcion = document.activeElement?.classList.contains("opcion") && lista.contains(document.activeElement);
  lista.querySelectorAll(".opcion").forEach((boton) => {
    boton.disabled = true;
  });
  // A disabled button drops focus to <body>: keep the keyboard in the conversation instead.
  if (enUnaOpcion) zona.focus({ preventScroll: true });
}

function anunciarRespuesta(respuesta) {
  const partes = [respuesta.text];
  if (respuesta.document) partes.push(`Te envié el documento ${respuesta.document.filename}.`);
  if (respuesta.buttons.length) partes.push(`Opciones: ${respuesta.buttons.map((b) => b.title).join(", ")}.`);
  anunciar(`El asistente dice: ${partes.filter(Boolean).join(" ")}`);
}

function anunciar(texto) {
  const parrafo = document.createElement("p");
  parrafo.textContent = texto;
  anuncios.append(parrafo);
  while (anuncios.childElementCount > 5) anuncios.firstElementChild.remove();
}

function aviso(texto) {
  burbuja("aviso", texto, Date.now() / 1000);
  // Said at once by screen readers (a list item cannot be an alert itself).
  alertas.textContent = texto;
  bajar();
}

function nota(texto) {
  burbuja("nota", texto, Date.now() / 1000);
  anunciar(texto);
}

function cercaDelFinal() {
  // New messages are followed unless the person scrolled up to read older ones.
  return zona.scrollHeight - zona.scrollTop - zona.clientHeight < 160;
}

function bajar() {
  zona.scrollTop = zona.scrollHeight;
}

function actualizarInicio() {
  empezar.hidden = estado.ultimoSeq >= 0 || lista.querySelector(".persona") !== null;
}

function mostrarEscribiendo(visible) {
  escribiendo.hidden = !visible;
  estadoBarra.textContent = visible ? "escribiendo…" : ESTADO_NORMAL;
  if (visible) bajar();
}

// -- sending ---------------------------------------------------------------------------------------

function mensajeDeError(error, tipo) {
  const otraVez = {
    texto: "Tu mensaje sigue en la caja: envíalo de nuevo.",
    opcion: "Vuelve a tocar la opción.",
    archivo: "Vuelve a adjuntar tu archivo.",
  }[tipo];
  if (!(error instanceof ErrorHttp)) return `No pude conectarme con el asistente. Revisa tu internet. ${otraVez}`;
  const codigo = error.respuesta.status;
  if (codigo === 413) {
    return tipo === "archivo"
      ? "Ese archivo es demasiado grande. Los archivos de la e.firma (.cer y .key) pesan pocos KB: revisa que sea el correcto."
      : "Tu mensaje es demasiado largo. Hazlo más corto y envíalo de nuevo; sigue en la caja.";
  }
  if (codigo === 429) {
    const segundos = Number(error.respuesta.headers.get("Retry-After"));
    const espera =
      segundos >= 90 ? `unos ${Math.ceil(segundos / 60)} minutos` : segundos > 0 ? `${segundos} segundos` : "un momento";
    return `Enviaste muchos mensajes seguidos. Espera ${espera}. ${otraVez}`;
  }
  if (codigo >= 500) return `Algo falló de nuestro lado. Inténtalo en un momento. ${otraVez}`;
  return `No pude enviar tu mensaje. ${otraVez}`;
}

function enviarTexto(texto, visible, tipo) {
  if (estado.ocupado) return false;
  const id = estado.fallido?.texto === texto ? estado.fallido.id : nuevoId();
  const cuerpoJson = JSON.stringify({ text: texto, message_id: id });
  enviar({
    tipo,
    visible,
    opciones: { method: "POST", headers: { "Content-Type": "application/json" }, body: cuerpoJson },
    alFallar: () => {
      estado.fallido = { texto, id };
      if (tipo === "texto") campo.value = campo.value ? `${texto}\n${campo.value}` : texto;
    },
  });
  return true;
}

function enviarArchivo(elegido) {
  const datos = new FormData();
  datos.append("file", elegido, elegido.name);
  estado.archivoEnviado = elegido.name;
  enviar({
    tipo: "archivo",
    visible: `📎 ${elegido.name}`,
    opciones: { method: "POST", body: datos },
    alFallar: () => {
      estado.archivoEnviado = null;
    },
  });
}

async function enviar({ tipo, visible, opciones, alFallar }) {
  estado.ocupado = true;
  const pendiente = burbuja("persona", visible, Date.now() / 1000);
  pendiente.classList.add("pendiente");
  actualizarInicio();
  mostrarEscribiendo(true);
  try {
    await enCola(async () => {
      if (!estado.token) await abrirConversacion();
      let respuestas;
      try {
        respuestas = await (await pedir(`/${estado.token}/messages`, opciones)).json();
      } catch (error) {
        if (!esNoEncontrada(error)) throw error;
        await conversacionPerdida();
        lista.append(pendiente);
        respuestas = await (await pedir(`/${estado.token}/messages`, opciones)).json();
      }
      estado.fallido = null;
      pendiente.classList.replace("pendiente", "provisional");
      try {
        await sincronizar({ seguir: true });
      } catch {
        // The replies came but the transcript could not be read: show them until the next poll.
        for (const respuesta of respuestas) {
          pintarRespuesta(respuesta, Date.now() / 1000).classList.add("provisional");
          anunciarRespuesta(respuesta);
        }
        bajar();
      }
    });
  } catch (error) {
    pendiente.remove();
    alFallar?.();
    aviso(mensajeDeError(error, tipo));
  } finally {
    estado.ocupado = false;
    mostrarEscribiendo(false);
    actualizarInicio();
  }
}

// -- polling ---------------------------------------------------------------------------------------

function programarSondeo() {
  clearTimeout(estado.temporizador);
  if (!document.hidden) estado.temporizador = setTimeout(sondear, SONDEO_MS);
}

async function sondear() {
  if (estado.token && !estado.ocupado) {
    try {
      await enCola(() => sincronizar());
    } catch {
      // Offline for a moment: the next poll tries again; sending shows its own error.
    }
  }
  programarSondeo();
}

// -- wiring ----------------------------------------------------------------------------------------

forma.addEventListener("submit", (evento) => {
  evento.preventDefault();
  const texto = campo.value.trim();
  if (!texto || estado.ocupado) return; // the text stays in the box until it can go
  campo.value = "";
  enviarTexto(texto, texto, "texto");
});

campo.addEventListener("keydown", (evento) => {
  if (evento.key === "Enter" && !evento.shiftKey && !evento.isComposing) {
    evento.preventDefault();
    forma.requestSubmit();
  }
});

porId("adjuntar").addEventListener("click", () => {
  if (!estado.ocupado) archivo.click();
});

archivo.addEventListener("change", () => {
  const elegido = archivo.files?.[0];
  archivo.value = "";
  if (!elegido) return;
  if (estado.ocupado) {
    aviso("Espera la respuesta del asistente y vuelve a adjuntar tu archivo.");
    return;
  }
  enviarArchivo(elegido);
});

empezar.addEventListener("click", () => enviarTexto("hola", "Hola", "opcion"));

porId("nueva").addEventListener("click", async () => {
  if (estado.ocupado) return;
  if (!window.confirm("¿Empezar una conversación nueva? La de ahora ya no se verá en esta pantalla.")) return;
  try {
    await enCola(async () => {
      await abrirConversacion();
      lista.replaceChildren();
    });
  } catch (error) {
    aviso(mensajeDeError(error, "opcion"));
  }
  actualizarInicio();
  campo.focus();
});

document.addEventListener("visibilitychange", () => {
  // No polling while the tab is hidden; coming back reads what arrived meanwhile at once.
  if (document.hidden) clearTimeout(estado.temporizador);
  else sondear();
});

async function iniciar() {
  estado.token = leerToken();
  try {
    await enCola(async () => {
      if (estado.token) await sincronizar({ anunciar: false });
      if (!estado.token) await abrirConversacion();
    });
    bajar();
  } catch {
    aviso("No pude conectarme con el asistente. Revisa tu internet; cuando escribas, lo intento de nuevo.");
  }
  actualizarInicio();
  programarSondeo();
  cuerpo.dataset.listo = "si"; // the history is drawn (tests and embedding pages can wait for this)
}

iniciar();
