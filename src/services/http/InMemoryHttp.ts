/**
 * In-memory HTTP: the transport the simulated world uses between an `HttpApiClient` and the
 * `HttpApiBuilder` app of the target pod, inside the synchronous simulation kernel.
 *
 * Owns:
 * - `InMemoryServerRequest` / `InMemoryClientResponse`: implementations of the platform's
 *   `HttpServerRequest` and `HttpClientResponse` interfaces whose bodies are already in memory.
 *   Every body effect (`text`, `json`, `arrayBuffer`, `urlParamsBody`) is synchronous: no web
 *   `Request`/`Response`, no stream reader, no Promise — nothing resolves on the real microtask
 *   queue, so a simulated request stays inside the kernel's order and virtual clock.
 *   Bytes ⇄ text conversion is lazy and done at most once per message.
 * - the conversions client request → server request → (app) → server response → client response,
 *   and client response → server response for a gateway that relays a downstream answer;
 * - `respond` / `makeHandler` / `makeFiberHandler`: running an `HttpApp` the way the platform's
 *   servers do (`HttpApp.toHandled`: per-request scope, pre-response handlers, tracer middleware,
 *   failures and defects turned into responses by `HttpServerError.causeResponse`);
 * - `makeClient` / `makeAppClient`: an `HttpClient` over such a dispatch function.
 *
 * Not carried in memory: `Stream` and `FormData` bodies (a server request's reads die with
 * `UnsupportedBody`, answered 500; a client response's fail with a `ResponseError`), multipart
 * parsing and websocket upgrades (they fail). Bodies are shared, not copied, between the sender's
 * value and the receiver's view: treat them as immutable.
 */
import * as Cookies from "@effect/platform/Cookies"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Headers from "@effect/platform/Headers"
import * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import type { HttpMethod } from "@effect/platform/HttpMethod"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Multipart from "@effect/platform/Multipart"
import type * as Path from "@effect/platform/Path"
import type * as Socket from "@effect/platform/Socket"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { type PodApp, providedApp } from "./HttpApiApp.js"
import { type FiberRefSetting, onOwnFiber, setInPlace } from "./OwnFiber.js"

// ---------------------------------------------------------------------------------------------
// bodies
// ---------------------------------------------------------------------------------------------

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const emptyBytes = new Uint8Array(0)

/**
 * A message body held in memory, as bytes or as text (whichever the sender had), converted to the
 * other form on first demand and cached. `unsupported` is set when the sender's body could not be
 * carried (a `Stream` or `FormData` body): every read then fails with that description.
 */
class MemoryBody {
  private _bytes: Uint8Array | undefined
  private _text: string | undefined
  private _buffer: ArrayBuffer | undefined
  constructor(
    bytes: Uint8Array | undefined,
    text: string | undefined,
    readonly unsupported?: string
  ) {
    this._bytes = bytes
    this._text = text
  }
  get bytes(): Uint8Array {
    if (this._bytes === undefined) {
      this._bytes = this._text === "" ? emptyBytes : encoder.encode(this._text!)
    }
    return this._bytes
  }
  get text(): string {
    if (this._text === undefined) {
      const bytes = this._bytes!
      this._text = bytes.byteLength === 0 ? "" : decoder.decode(bytes)
    }
    return this._text
  }
  /** The bytes as an `ArrayBuffer`: the underlying buffer itself when the view spans all of it. */
  get arrayBuffer(): ArrayBuffer {
    if (this._buffer === undefined) {
      const bytes = this.bytes
      const buffer = bytes.buffer as ArrayBuffer
      this._buffer = bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength && buffer instanceof ArrayBuffer
        ? buffer
        : (bytes.slice().buffer as ArrayBuffer)
    }
    return this._buffer
  }
  get isEmpty(): boolean {
    return this._bytes !== undefined ? this._bytes.byteLength === 0 : this._text === ""
  }
}

const emptyBody = new MemoryBody(emptyBytes, "")

/** The defect a server request's body reads die with when its body could not be carried. */
export class UnsupportedBody extends Error {
  override readonly name = "UnsupportedBody"
}

/** The in-memory form of an outgoing `HttpBody` (a client request's or a server response's). */
const fromHttpBody = (body: HttpBody.HttpBody, side: string): MemoryBody => {
  switch (body._tag) {
    case "Empty":
      return emptyBody
    case "Uint8Array":
      return new MemoryBody(body.body, undefined)
    case "Raw": {
      const raw = body.body
      if (typeof raw === "string") return new MemoryBody(undefined, raw)
      if (raw instanceof Uint8Array) return new MemoryBody(raw, undefined)
      if (raw instanceof ArrayBuffer) return new MemoryBody(new Uint8Array(raw), undefined)
      if (raw === undefined || raw === null) return emptyBody
      return new MemoryBody(
        undefined,
        undefined,
        `in-memory HTTP carries no Raw ${side} body of type ${typeof raw === "object" ? raw.constructor?.name : typeof raw} (only string, Uint8Array, ArrayBuffer)`
      )
    }
    case "FormData":
    case "Stream":
      return new MemoryBody(
        undefined,
        undefined,
        `in-memory HTTP carries no ${body._tag} ${side} body (only Empty, Uint8Array and Raw string/bytes)`
      )
  }
}

// ---------------------------------------------------------------------------------------------
// incoming messages
// ---------------------------------------------------------------------------------------------

/** What the server request and the client response share: synchronous reads of a `MemoryBody`. */
abstract class InMemoryIncomingMessage<E> extends Inspectable.Class implements IncomingMessage.HttpIncomingMessage<E> {
  declare readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId
  abstract readonly headers: Headers.Headers
  abstract readonly remoteAddress: Option.Option<string>
  protected abstract readonly memory: MemoryBody
  protected abstract decodeError(cause: unknown, description?: string): E

  /**
   * A body the transport could not carry. The server request dies (a typed `RequestError` would be
   * answered 400 by the platform, blaming the client for a limit of the simulation: a defect gives
   * 500); the client response fails with a `ResponseError`.
   */
  protected unsupported<A>(): Effect.Effect<A, E> {
    return Effect.fail(this.decodeError(undefined, this.memory.unsupported))
  }

  get text(): Effect.Effect<string, E> {
    const memory = this.memory
    if (memory.unsupported !== undefined) return this.unsupported()
    return Effect.sync(() => memory.text)
  }

  get json(): Effect.Effect<unknown, E> {
    const memory = this.memory
    if (memory.unsupported !== undefined) return this.unsupported()
    return Effect.try({
      try: () => {
        const text = memory.text
        // an empty body is `null`, as the Node server's request and the client response have it
        return text === "" ? null : JSON.parse(text) as unknown
      },
      catch: (cause) => this.decodeError(cause)
    })
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, E> {
    const memory = this.memory
    if (memory.unsupported !== undefined) return this.unsupported()
    return Effect.try({
      try: () => UrlParams.fromInput(new URLSearchParams(memory.text)),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, E> {
    const memory = this.memory
    if (memory.unsupported !== undefined) return this.unsupported()
    return Effect.sync(() => memory.arrayBuffer)
  }

  /** One chunk holding the whole body; an empty body is an empty stream. */
  get stream(): Stream.Stream<Uint8Array, E> {
    const memory = this.memory
    if (memory.unsupported !== undefined) return Stream.fromEffect(this.unsupported<Uint8Array>())
    return Stream.suspend(() => memory.isEmpty ? Stream.empty : Stream.succeed(memory.bytes))
  }
}
;(InMemoryIncomingMessage.prototype as any)[IncomingMessage.TypeId] = IncomingMessage.TypeId

/**
 * A server-side request whose body is already in memory (the simulated counterpart of the Node
 * server's request). `url` and `originalUrl` are the path and query, as Node gives them.
 */
export class InMemoryServerRequest extends InMemoryIncomingMessage<HttpServerError.RequestError>
  implements HttpServerRequest.HttpServerRequest
{
  declare readonly [HttpServerRequest.TypeId]: HttpServerRequest.TypeId
  private cachedCookies: Record<string, string> | undefined

  constructor(
    /** The client request this one was made from (or whatever the creator wants to keep). */
    readonly source: unknown,
    readonly method: HttpMethod,
    readonly url: string,
    readonly originalUrl: string,
    readonly headers: Headers.Headers,
    readonly remoteAddress: Option.Option<string>,
    protected readonly memory: MemoryBody
  ) {
    super()
  }

  protected decodeError(cause: unknown, description?: string): HttpServerError.RequestError {
    return new HttpServerError.RequestError({ request: this, reason: "Decode", cause, description })
  }

  protected override unsupported<A>(): Effect.Effect<A, HttpServerError.RequestError> {
    return Effect.die(new UnsupportedBody(`${this.method} ${this.url}: ${this.memory.unsupported}`))
  }

  get cookies(): Record<string, string> {
    return this.cachedCookies ??= Cookies.parseHeader(this.headers.cookie ?? "")
  }

  get multipart(): Effect.Effect<
    Multipart.Persisted,
    Multipart.MultipartError,
    Scope.Scope | FileSystem.FileSystem | Path.Path
  > {
    return Effect.fail(new Multipart.MultipartError({ reason: "InternalError", cause: "multipart is not supported in memory" }))
  }

  get multipartStream(): Stream.Stream<Multipart.Part, Multipart.MultipartError> {
    return Stream.fail(new Multipart.MultipartError({ reason: "InternalError", cause: "multipart is not supported in memory" }))
  }

  get upgrade(): Effect.Effect<Socket.Socket, HttpServerError.RequestError> {
    return Effect.fail(
      new HttpServerError.RequestError({ request: this, reason: "Decode", description: "upgrade is not supported in memory" })
    )
  }

  modify(options: {
    readonly url?: string | undefined
    readonly headers?: Headers.Headers | undefined
    readonly remoteAddress?: string | undefined
  }): InMemoryServerRequest {
    return new InMemoryServerRequest(
      this.source,
      this.method,
      options.url ?? this.url,
      this.originalUrl,
      options.headers ?? this.headers,
      options.remoteAddress !== undefined ? Option.some(options.remoteAddress) : this.remoteAddress,
      this.memory
    )
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpServerRequest",
      method: this.method,
      url: this.originalUrl
    })
  }
}
;(InMemoryServerRequest.prototype as any)[HttpServerRequest.TypeId] = HttpServerRequest.TypeId

/** A client-side response whose body is already in memory. */
export class InMemoryClientResponse extends InMemoryIncomingMessage<HttpClientError.ResponseError>
  implements HttpClientResponse.HttpClientResponse
{
  declare readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId
  private cachedCookies: Cookies.Cookies | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    readonly headers: Headers.Headers,
    private readonly sourceCookies: Cookies.Cookies | undefined,
    protected readonly memory: MemoryBody
  ) {
    super()
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  get cookies(): Cookies.Cookies {
    if (this.cachedCookies === undefined) {
      const setCookie = this.headers["set-cookie"]
      this.cachedCookies = this.sourceCookies !== undefined && !Cookies.isEmpty(this.sourceCookies)
        ? this.sourceCookies
        : setCookie !== undefined
        ? Cookies.fromSetCookie(setCookie)
        : Cookies.empty
    }
    return this.cachedCookies
  }

  protected decodeError(cause: unknown, description?: string): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({
      request: this.request,
      response: this,
      reason: "Decode",
      cause,
      description
    })
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.fail(this.decodeError(undefined, "formData is not supported in memory"))
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}
;(InMemoryClientResponse.prototype as any)[HttpClientResponse.TypeId] = HttpClientResponse.TypeId

// ---------------------------------------------------------------------------------------------
// conversions
// ---------------------------------------------------------------------------------------------

/**
 * The server's view of a client request sent to `url` (the URL `HttpClient.make` resolved, query
 * included): method, path + query as `url`/`originalUrl`, the request headers plus `host` (as a
 * real client adds it), and the body bytes/text without copying. A `Stream` or `FormData` body
 * yields a request whose body reads die with `UnsupportedBody`, so the server answers 500.
 */
export const toServerRequest = (
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  options?: { readonly remoteAddress?: string | undefined }
): HttpServerRequest.HttpServerRequest => {
  const path = url.pathname + url.search
  const headers = request.headers.host === undefined ? Headers.set(request.headers, "host", url.host) : request.headers
  return new InMemoryServerRequest(
    request,
    request.method,
    path,
    path,
    headers,
    options?.remoteAddress !== undefined ? Option.some(options.remoteAddress) : Option.none(),
    fromHttpBody(request.body, "request")
  )
}

/**
 * The client's view of a server response to `request`: status, headers (the server response's,
 * which already carry content-type/-length; its cookies are also rendered as `set-cookie`), cookies
 * and the body bytes/text without copying. A HEAD request gets no body, as over the wire.
 */
export const toClientResponse = (
  request: HttpClientRequest.HttpClientRequest,
  response: HttpServerResponse.HttpServerResponse
): HttpClientResponse.HttpClientResponse => {
  let headers = response.headers
  const cookies = response.cookies
  if (!Cookies.isEmpty(cookies)) {
    headers = Headers.set(headers, "set-cookie", Cookies.toSetCookieHeaders(cookies).join(", "))
  }
  return new InMemoryClientResponse(
    request,
    response.status,
    headers,
    cookies,
    request.method === "HEAD" ? emptyBody : fromHttpBody(response.body, "response")
  )
}

const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "trailers",
  "transfer-encoding",
  "upgrade",
  // recomputed from the relayed body
  "content-length"
])

/**
 * A server response relaying a client response (a gateway forwarding a downstream answer): same
 * status, headers minus hop-by-hop ones (and those the `connection` header names), the body bytes
 * and the cookies. Works on any `HttpClientResponse`; on in-memory ones it does not copy.
 */
export const toServerResponse = (
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<HttpServerResponse.HttpServerResponse, HttpClientError.ResponseError> =>
  Effect.map(response.arrayBuffer, (buffer) => {
    const source = response.headers
    const named = source.connection
    const alsoDrop = named === undefined ? undefined : new Set(named.toLowerCase().split(",").map((s) => s.trim()))
    const cookies = response.cookies
    const keepSetCookie = Cookies.isEmpty(cookies)
    const out: Record<string, string> = {}
    for (const name in source) {
      if (hopByHop.has(name) || alsoDrop?.has(name) || (!keepSetCookie && name === "set-cookie")) continue
      out[name] = source[name]
    }
    const headers = Headers.unsafeFromRecord(out)
    const options = { status: response.status, headers, cookies }
    return buffer.byteLength === 0
      ? HttpServerResponse.empty(options)
      : HttpServerResponse.uint8Array(new Uint8Array(buffer), { ...options, contentType: out["content-type"] })
  })

// ---------------------------------------------------------------------------------------------
// serving
// ---------------------------------------------------------------------------------------------

/** Options of `respond` / `makeHandler`. */
export interface RespondOptions {
  /**
   * Called with the cause a real server's request fiber would end with (an unexpected failure or a
   * defect of the app, already answered with a 5xx; interruptions excluded), for observation. By
   * default it is dropped, as the platform's servers drop it unless a logging middleware is installed.
   */
  readonly onError?: ((cause: Cause.Cause<unknown>, request: HttpServerRequest.HttpServerRequest) => Effect.Effect<void>) | undefined
}

const noHandlers = Option.none<HttpApp.PreResponseHandler>()

/**
 * Runs `app` on `request` (already in the context) the way the platform's servers do, and yields
 * the response the server would have written.
 */
const serve = <E, R>(
  app: HttpApp.Default<E, R>,
  request: HttpServerRequest.HttpServerRequest,
  options: RespondOptions | undefined
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, Exclude<R, Scope.Scope> | HttpServerRequest.HttpServerRequest> =>
  Effect.suspend(() => {
    let written: HttpServerResponse.HttpServerResponse | undefined
    const handled = HttpApp.toHandled(app, (_request, response) => {
      written = response
      return Effect.void
    })
    return Effect.flatMap(Effect.exit(handled), (exit) => {
      if (written === undefined) {
        // toHandled always answers; keep the platform's mapping should it ever not
        written = HttpServerError.exitResponse(exit as any)
      }
      const response = written
      if (exit._tag === "Failure" && options?.onError !== undefined) {
        // the app's own cause, without the response toHandled appends to it as a defect
        const cause = HttpServerError.causeResponseStripped(exit.cause)[1]
        if (Option.isSome(cause) && !Cause.isInterruptedOnly(cause.value)) {
          return Effect.as(options.onError(cause.value, request), response)
        }
      }
      return Effect.succeed(response)
    })
  })

/**
 * `serve` on a fiber of its own (`makeFiberHandler`), where no pre-response handler is set and the
 * tracer middleware is off: what `HttpApp.toHandled` then does, in a third of the Effect steps. The
 * request's scope is set on the fiber in place (toHandled provides it around the app), a failure or
 * defect is answered by `HttpServerError.causeResponse` exactly as toHandled answers it, the scope is
 * closed with the outcome, and all of it is uninterruptible but the app's own interruptible regions
 * (the router makes every handler interruptible), as in toHandled.
 */
const serveOnOwnFiber = <E, R>(
  app: HttpApp.Default<E, R>,
  request: HttpServerRequest.HttpServerRequest,
  options: RespondOptions | undefined
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, Exclude<R, Scope.Scope>> =>
  Effect.uninterruptible(Effect.withFiberRuntime((fiber) =>
    Effect.flatMap(Scope.make(), (scope) => {
      const scoped = setInPlace(fiber, FiberRef.currentContext, Context.add(fiber.currentContext, Scope.Scope, scope))
        ? app
        : Effect.provideService(app, Scope.Scope, scope)
      const closeWith = (response: HttpServerResponse.HttpServerResponse, exit: Exit.Exit<unknown, unknown>) =>
        Effect.as(Scope.close(scope, exit), response)
      return Effect.matchCauseEffect(scoped as Effect.Effect<HttpServerResponse.HttpServerResponse, E, never>, {
        onSuccess: (response) => closeWith(response, Exit.succeed(response)),
        onFailure: (cause) =>
          Effect.flatMap(HttpServerError.causeResponse(cause), ([response, withResponse]) => {
            if (Cause.isEmptyType(withResponse)) return closeWith(response, Exit.succeed(response))
            const closed = closeWith(response, Exit.failCause(withResponse))
            if (options?.onError === undefined) return closed
            // the app's own cause, without the response causeResponse appends to it as a defect
            const own = HttpServerError.causeResponseStripped(withResponse)[1]
            return Option.isSome(own) && !Cause.isInterruptedOnly(own.value)
              ? Effect.zipRight(closed, Effect.as(options.onError(own.value, request), response))
              : closed
          })
      })
    })
  )) as Effect.Effect<HttpServerResponse.HttpServerResponse, never, Exclude<R, Scope.Scope>>

/**
 * Pre-response handlers are fiber-local; a caller that is itself serving a request (a gateway) must
 * not lend its own to the app it calls in-process.
 */
const isolated = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withFiberRuntime((fiber) =>
    fiber.getFiberRef(HttpApp.currentPreResponseHandlers)._tag === "None"
      ? effect
      : Effect.locally(effect, HttpApp.currentPreResponseHandlers, noHandlers)
  )

/**
 * Runs an `HttpApp` on one request as a server would, on the calling fiber, with the caller's
 * context: provides the request, opens and closes a scope for it, applies pre-response handlers and
 * the tracer middleware, and turns failures and defects into responses exactly like the Node
 * server (`HttpApp.toHandled` + `HttpServerError.causeResponse`: a `Respondable` error gives its
 * response, other failures and defects 500, a handler that interrupts itself 503, one interrupted
 * with `HttpServerError.clientAbortFiberId` 499). It never fails.
 *
 * If the calling fiber is interrupted while the app runs, the app's interruptible region is
 * interrupted, its finalizers run, and `respond` itself ends interrupted (no response).
 */
export const respond = <E, R>(
  app: HttpApp.Default<E, R>,
  request: HttpServerRequest.HttpServerRequest,
  options?: RespondOptions
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, Exclude<R, HttpServerRequest.HttpServerRequest | Scope.Scope>> =>
  isolated(Effect.provideService(serve(app, request, options), HttpServerRequest.HttpServerRequest, request)) as any

/**
 * Like the Node server's `makeHandler`: captures the app's context once (the serving pod's
 * services) and returns a function running the app on a request with exactly that context — not
 * the caller's — plus the request.
 */
export const makeHandler = <E, R>(
  app: HttpApp.Default<E, R>,
  options?: RespondOptions
): Effect.Effect<
  (request: HttpServerRequest.HttpServerRequest) => Effect.Effect<HttpServerResponse.HttpServerResponse>,
  never,
  Exclude<R, HttpServerRequest.HttpServerRequest | Scope.Scope>
> =>
  Effect.map(Effect.context<Exclude<R, HttpServerRequest.HttpServerRequest | Scope.Scope>>(), (context) => {
    return (request) =>
      Effect.locally(
        isolated(serve(app, request, options)),
        FiberRef.currentContext,
        Context.add(context, HttpServerRequest.HttpServerRequest, request)
      ) as Effect.Effect<HttpServerResponse.HttpServerResponse>
  })

const tracerOff = () => true

/**
 * `makeHandler` for a server that runs each request on a fiber of its own (as the Node server does,
 * and as simulated pods do): instead of scoping the request's context around the app, the handler
 * sets it on its fiber — the serving pod's context, the request, no pre-response handlers of the
 * caller — and leaves it there, so the fiber must run nothing else afterwards. An app made by
 * `httpApiApp` has its own context merged into the pod's once, here, instead of providing it on every
 * request. With the tracer off, the platform's tracer middleware is switched off for the request
 * (`HttpMiddleware.currentTracerDisabledWhen`): with no tracer it only makes no-op spans, at the
 * price of a URL parse and a copy of the headers per request. Responses and failures are otherwise
 * exactly `makeHandler`'s (`HttpApp.toHandled`).
 */
export const makeFiberHandler = (
  podApp: PodApp,
  options?: RespondOptions
): Effect.Effect<(request: HttpServerRequest.HttpServerRequest) => Effect.Effect<HttpServerResponse.HttpServerResponse>> =>
  Effect.map(Effect.context<never>(), (podContext) => {
    const inner = providedApp(podApp)
    const app = (inner?.app ?? podApp) as PodApp
    const context = inner === undefined ? podContext : Context.merge(podContext, inner.context)
    return (request) => {
      let traced = true
      return onOwnFiber((fiber) => {
        const settings: Array<FiberRefSetting> = [
          [FiberRef.currentContext, Context.add(context, HttpServerRequest.HttpServerRequest, request)],
          [HttpApp.currentPreResponseHandlers, noHandlers]
        ]
        if (!fiber.getFiberRef(FiberRef.currentTracerEnabled)) {
          traced = false
          settings.push([HttpMiddleware.currentTracerDisabledWhen, tracerOff])
        }
        return settings
      }, () => (traced ? serve(app, request, options) : serveOnOwnFiber(app, request, options)) as Effect.Effect<HttpServerResponse.HttpServerResponse>)
    }
  })

// ---------------------------------------------------------------------------------------------
// clients
// ---------------------------------------------------------------------------------------------

/**
 * An `HttpClient` whose requests are answered by `dispatch` (the resolved URL is passed along).
 *
 * With the tracer off (simulated runs) a request goes straight from URL resolution to `dispatch`:
 * `HttpClient.make` would also give each request an `AbortController`, register its response in a
 * `FinalizationRegistry` and wrap it, all to abort a socket that an in-memory exchange does not have.
 * With the tracer on, requests take `HttpClient.make`'s path (its client span included).
 */
export const makeClient = (
  dispatch: (
    request: HttpClientRequest.HttpClientRequest,
    url: URL
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
): HttpClient.HttpClient => {
  const traced = HttpClient.make((request, url) => dispatch(request, url))
  const send = (request: HttpClientRequest.HttpClientRequest) =>
    Effect.withFiberRuntime<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((fiber) => {
      if (fiber.getFiberRef(FiberRef.currentTracerEnabled)) return traced.execute(request)
      const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
      if (url._tag === "Left") {
        return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
      }
      return dispatch(request, url.right)
    })
  return HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (effect) => Effect.flatMap(effect, send),
    Effect.succeed
  )
}

/**
 * An `HttpClient` answered in-process by `app`, with the app's context captured now: client request
 * → `toServerRequest` → app → `toClientResponse`. No network model in between; the simulated links
 * compose their own dispatch from the same parts.
 */
export const makeAppClient = <E, R>(
  app: HttpApp.Default<E, R>,
  options?: RespondOptions & { readonly remoteAddress?: string | undefined }
): Effect.Effect<HttpClient.HttpClient, never, Exclude<R, HttpServerRequest.HttpServerRequest | Scope.Scope>> =>
  Effect.map(makeHandler(app, options), (handler) =>
    makeClient((request, url) =>
      Effect.map(handler(toServerRequest(request, url, options)), (response) => toClientResponse(request, response))
    ))
