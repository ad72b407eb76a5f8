import {
  Etag,
  HttpApi,
  HttpApiBuilder,
  HttpApiClient,
  HttpApiEndpoint,
  HttpApiGroup,
  HttpApiSchema,
  HttpApp,
  HttpBody,
  HttpClient,
  HttpClientRequest,
  HttpClientResponse,
  HttpPlatform,
  HttpRouter,
  HttpServer,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Context, Deferred, Effect, Exit, Fiber, Layer, Option, Schema, Stream } from "effect"
import { httpApiApp, type PodApp, providedApp } from "../../src/services/http/HttpApiApp.js"
import {
  makeAppClient,
  makeClient,
  makeFiberHandler,
  makeHandler,
  respond,
  toClientResponse,
  toServerRequest,
  toServerResponse
} from "../../src/services/http/InMemoryHttp.js"

// ---- a tiny API -------------------------------------------------------------------------------

class Thing extends Schema.Class<Thing>("Thing")({ id: Schema.String, name: Schema.String, qty: Schema.Number }) {}

class ThingNotFound extends Schema.TaggedError<ThingNotFound>()(
  "ThingNotFound",
  { id: Schema.String },
  HttpApiSchema.annotations({ status: 404 })
) {}

class Echo extends Schema.Class<Echo>("Echo")({
  q: Schema.String,
  n: Schema.Number,
  tag: Schema.String,
  url: Schema.String,
  host: Schema.String
}) {}

const Api = HttpApi.make("things").add(
  HttpApiGroup.make("things")
    .add(
      HttpApiEndpoint.post("create", "/things")
        .setPayload(Schema.Struct({ name: Schema.String, qty: Schema.Number }))
        .addSuccess(Thing, { status: 201 })
    )
    .add(
      HttpApiEndpoint.get("get", "/things/:id")
        .setPath(Schema.Struct({ id: Schema.String }))
        .addSuccess(Thing)
        .addError(ThingNotFound)
    )
    .add(
      HttpApiEndpoint.get("echo", "/echo")
        .setUrlParams(Schema.Struct({ q: Schema.String, n: Schema.NumberFromString }))
        .setHeaders(Schema.Struct({ "x-tag": Schema.String }))
        .addSuccess(Echo)
    )
    .add(HttpApiEndpoint.get("boom", "/boom").addSuccess(Thing))
    .add(HttpApiEndpoint.get("quit", "/quit").addSuccess(Thing))
    .add(HttpApiEndpoint.get("hang", "/hang").addSuccess(Thing))
)

/** Set by the "hang" test: completed when the handler starts, and when it is interrupted. */
let hang: { started: Deferred.Deferred<void>; interrupted: Deferred.Deferred<void> } | undefined

const ThingsLive = HttpApiBuilder.group(Api, "things", (handlers) =>
  handlers
    .handle("create", ({ payload }) => Effect.succeed(new Thing({ id: "t-1", name: payload.name, qty: payload.qty })))
    .handle("get", ({ path }) =>
      path.id === "t-1"
        ? Effect.succeed(new Thing({ id: "t-1", name: "cup", qty: 2 }))
        : Effect.fail(new ThingNotFound({ id: path.id })))
    .handle("echo", ({ headers, request, urlParams }) =>
      Effect.succeed(
        new Echo({ q: urlParams.q, n: urlParams.n, tag: headers["x-tag"], url: request.url, host: request.headers.host ?? "" })
      ))
    .handle("boom", () => Effect.die(new Error("kaboom")))
    .handle("quit", () => Effect.interrupt)
    .handle("hang", () =>
      Effect.gen(function*() {
        const h = hang!
        yield* Deferred.succeed(h.started, undefined)
        return yield* Effect.never
      }).pipe(Effect.onInterrupt(() => Deferred.succeed(hang!.interrupted, undefined))))
)

const ApiLive = HttpApiBuilder.api(Api).pipe(Layer.provide(ThingsLive))
const ServerLayer = Layer.mergeAll(
  ApiLive,
  HttpApiBuilder.Router.Live,
  HttpApiBuilder.Middleware.layer,
  HttpServer.layerContext
)

const makeThingsClient = (baseUrl: string) => HttpApiClient.make(Api, { baseUrl })
type ThingsClient = Effect.Effect.Success<ReturnType<typeof makeThingsClient>>

/** The API's app, and an `HttpApiClient` over `makeClient` → `respond` → that app. */
const withApi = <A, E>(
  f: (env: {
    readonly app: HttpApp.Default<never, HttpRouter.HttpRouter.DefaultServices>
    readonly http: HttpClient.HttpClient
    readonly client: ThingsClient
  }) => Effect.Effect<A, E, HttpRouter.HttpRouter.DefaultServices>
) =>
  Effect.gen(function*() {
    const app = yield* HttpApiBuilder.httpApp
    const context = yield* Effect.context<HttpRouter.HttpRouter.DefaultServices>()
    const http = makeClient((request, url) =>
      respond(app, toServerRequest(request, url)).pipe(
        Effect.map((response) => toClientResponse(request, response)),
        Effect.provide(context)
      )
    )
    const client = yield* makeThingsClient("http://things").pipe(Effect.provideService(HttpClient.HttpClient, http))
    return yield* f({ app, http, client })
  }).pipe(Effect.provide(ServerLayer))

describe("InMemoryHttp", () => {
  it.effect("a successful round trip decodes the typed value, with the 201 status", () =>
    withApi(({ client, http }) =>
      Effect.gen(function*() {
        const thing = yield* client.things.create({ payload: { name: "cup", qty: 3 } })
        expect(thing).toBeInstanceOf(Thing)
        expect(thing).toEqual(new Thing({ id: "t-1", name: "cup", qty: 3 }))

        const raw = yield* http.execute(
          HttpClientRequest.post("http://things/things").pipe(HttpClientRequest.bodyUnsafeJson({ name: "pot", qty: 1 }))
        )
        expect(raw.status).toBe(201)
        expect(raw.headers["content-type"]).toContain("application/json")
        expect(yield* raw.json).toEqual({ id: "t-1", name: "pot", qty: 1 })
        // the body is read from memory again (cached), as text and as bytes
        expect(yield* raw.text).toBe(JSON.stringify({ id: "t-1", name: "pot", qty: 1 }))
        expect(new TextDecoder().decode(yield* raw.arrayBuffer)).toBe(yield* raw.text)
      })
    ))

  it.effect("a 404 fails with the typed error", () =>
    withApi(({ client }) =>
      Effect.gen(function*() {
        const found = yield* client.things.get({ path: { id: "t-1" } })
        expect(found.name).toBe("cup")
        const error = yield* Effect.flip(client.things.get({ path: { id: "nope" } }))
        expect(error).toBeInstanceOf(ThingNotFound)
        expect(error).toEqual(new ThingNotFound({ id: "nope" }))
      })
    ))

  it.effect("a malformed payload yields 400 whose JSON body names the field", () =>
    withApi(({ http }) =>
      Effect.gen(function*() {
        const response = yield* http.execute(
          HttpClientRequest.post("http://things/things").pipe(
            HttpClientRequest.bodyUnsafeJson({ name: "cup", qty: "three" })
          )
        )
        expect(response.status).toBe(400)
        const body = (yield* response.json) as { _tag: string; issues: Array<{ path: Array<string> }> }
        expect(body._tag).toBe("HttpApiDecodeError")
        expect(body.issues.map((issue) => issue.path)).toContainEqual(["qty"])

        // invalid JSON text: a decode failure of the request body itself, answered by the platform
        const garbled = yield* http.execute(
          HttpClientRequest.post("http://things/things").pipe(HttpClientRequest.bodyText("{nope", "application/json"))
        )
        expect(garbled.status).toBeGreaterThanOrEqual(400)
      })
    ))

  it.effect("a handler defect yields 500 and the caller gets a failure, not a defect", () =>
    withApi(({ app, client, http }) =>
      Effect.gen(function*() {
        const raw = yield* http.get("http://things/boom")
        expect(raw.status).toBe(500)

        const exit = yield* Effect.exit(client.things.boom())
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) {
          expect(Cause.isFailType(exit.cause)).toBe(true) // a typed failure, no defect, no interruption
          expect(Cause.isDie(exit.cause)).toBe(false)
        }

        // the defect the server fiber would end with is observable
        const seen: Array<Cause.Cause<unknown>> = []
        const response = yield* respond(
          app,
          toServerRequest(HttpClientRequest.get("http://things/boom"), new URL("http://things/boom")),
          { onError: (cause) => Effect.sync(() => void seen.push(cause)) }
        )
        expect(response.status).toBe(500)
        expect(seen).toHaveLength(1)
        expect(Cause.pretty(seen[0])).toContain("kaboom")
      })
    ))

  it.effect("headers, query strings and host arrive; url is path + query", () =>
    withApi(({ client, http }) =>
      Effect.gen(function*() {
        const echo = yield* client.things.echo({ urlParams: { q: "a b&c", n: 7 }, headers: { "x-tag": "t1" } })
        expect(echo.q).toBe("a b&c")
        expect(echo.n).toBe(7)
        expect(echo.tag).toBe("t1")
        expect(echo.host).toBe("things")
        expect(echo.url.startsWith("/echo?")).toBe(true)
        expect(new URLSearchParams(echo.url.slice("/echo?".length)).get("q")).toBe("a b&c")

        const missingHeader = yield* http.get("http://things/echo?q=x&n=1")
        expect(missingHeader.status).toBe(400)
      })
    ))

  it.effect("server request: body, url, headers, cookies and caching", () =>
    Effect.gen(function*() {
      const request = HttpClientRequest.post("http://svc:8080/a/b", {
        urlParams: { x: "1" },
        hash: "frag",
        headers: { cookie: "sid=42; theme=dark" }
      }).pipe(HttpClientRequest.bodyText("hello=w%C3%B6rld", "application/x-www-form-urlencoded"))
      const server = toServerRequest(request, new URL("http://svc:8080/a/b?x=1#frag"), { remoteAddress: "10.0.0.7" })
      expect(server.method).toBe("POST")
      expect(server.url).toBe("/a/b?x=1")
      expect(server.originalUrl).toBe("/a/b?x=1")
      expect(server.headers.host).toBe("svc:8080")
      expect(server.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(server.cookies).toEqual({ sid: "42", theme: "dark" })
      expect(Option.getOrNull(server.remoteAddress)).toBe("10.0.0.7")
      expect(yield* server.text).toBe("hello=w%C3%B6rld")
      expect(yield* server.urlParamsBody).toEqual([["hello", "wörld"]])
      const chunks = yield* Stream.runCollect(server.stream)
      expect(new TextDecoder().decode([...chunks][0])).toBe("hello=w%C3%B6rld")
      // the same bytes, not a copy
      const buffer = yield* server.arrayBuffer
      expect(buffer).toBe(yield* server.arrayBuffer)
      if (request.body._tag !== "Uint8Array") throw new Error("expected a Uint8Array body")
      expect(new Uint8Array(buffer)).toEqual(request.body.body)
      const modified = server.modify({ url: "/b" })
      expect(modified.url).toBe("/b")
      expect(modified.originalUrl).toBe("/a/b?x=1")
      expect(yield* modified.text).toBe("hello=w%C3%B6rld")
      expect(HttpServerRequest.HttpServerRequest.key).toBeTruthy()
      expect(yield* Effect.flip(server.upgrade)).toMatchObject({ _tag: "RequestError" })
      expect(HttpServerRequest.TypeId in server).toBe(true)
      expect(server.toJSON()).toMatchObject({ _id: "@effect/platform/HttpServerRequest", method: "POST", url: "/a/b?x=1" })

      const response = toClientResponse(request, HttpServerResponse.unsafeJson({ ok: true }, { status: 202 }))
      expect(HttpClientResponse.TypeId in response).toBe(true)
      expect(response.toJSON()).toMatchObject({ status: 202, body: { ok: true } })
      expect(yield* Effect.flip(response.formData)).toMatchObject({ _tag: "ResponseError", reason: "Decode" })

      const empty = toServerRequest(HttpClientRequest.get("http://svc/"), new URL("http://svc/"))
      expect(yield* empty.json).toBe(null)
      expect(yield* empty.text).toBe("")
      expect((yield* empty.arrayBuffer).byteLength).toBe(0)
    }))

  it.effect("a Stream body is refused clearly: 500, with the reason in the server's cause", () =>
    withApi(({ app }) =>
      Effect.gen(function*() {
        const request = HttpClientRequest.post("http://things/things").pipe(
          HttpClientRequest.bodyStream(Stream.make(new TextEncoder().encode("{}")), { contentType: "application/json" })
        )
        const server = toServerRequest(request, new URL("http://things/things"))
        const read = yield* Effect.exit(server.json)
        expect(Exit.isFailure(read) && Cause.isDie(read.cause)).toBe(true)
        const seen: Array<Cause.Cause<unknown>> = []
        const response = yield* respond(app, server, { onError: (cause) => Effect.sync(() => void seen.push(cause)) })
        expect(response.status).toBe(500)
        expect(Cause.pretty(seen[0])).toContain("in-memory HTTP carries no Stream request body")
      })
    ))

  it.effect("toServerResponse relays status, headers minus hop-by-hop ones, and the body", () =>
    Effect.gen(function*() {
      const request = HttpClientRequest.get("http://svc/x")
      const downstream = toClientResponse(
        request,
        HttpServerResponse.text("I'm a teapot", {
          status: 418,
          headers: { connection: "close, x-drop", "x-drop": "1", "x-keep": "2", "transfer-encoding": "chunked" }
        })
      )
      const relayed = yield* toServerResponse(downstream)
      expect(relayed.status).toBe(418)
      expect(relayed.headers["x-keep"]).toBe("2")
      expect(relayed.headers["content-type"]).toContain("text/plain")
      expect(relayed.headers.connection).toBeUndefined()
      expect(relayed.headers["x-drop"]).toBeUndefined()
      expect(relayed.headers["transfer-encoding"]).toBeUndefined()
      expect(relayed.body._tag).toBe("Uint8Array")
      if (relayed.body._tag === "Uint8Array") expect(new TextDecoder().decode(relayed.body.body)).toBe("I'm a teapot")

      const noContent = yield* toServerResponse(toClientResponse(request, HttpServerResponse.empty({ status: 204 })))
      expect(noContent.status).toBe(204)
      expect(noContent.body._tag).toBe("Empty")
    }))

  it.effect("a gateway forwards through the in-memory client and relays the answer; its pre-response handlers stay its own", () =>
    withApi(({ app }) =>
      Effect.gen(function*() {
        const downstreamHeaders: Array<Record<string, string>> = []
        const things = yield* makeAppClient(app)
        const gateway = yield* HttpRouter.empty.pipe(
          HttpRouter.all(
            "*",
            Effect.gen(function*() {
              const request = yield* HttpServerRequest.HttpServerRequest
              yield* HttpApp.appendPreResponseHandler((_req, response) =>
                Effect.succeed(HttpServerResponse.setHeader(response, "x-gateway", "yes"))
              )
              const body = new Uint8Array(yield* request.arrayBuffer)
              const forwarded = HttpClientRequest.make(request.method)(`http://things${request.url}`, {
                headers: request.headers,
                body: body.byteLength === 0 ? HttpBody.empty : HttpBody.uint8Array(body, request.headers["content-type"])
              })
              const response = yield* things.execute(forwarded)
              downstreamHeaders.push({ ...response.headers })
              return yield* toServerResponse(response)
            }).pipe(Effect.orDie)
          ),
          HttpRouter.toHttpApp
        )
        const client = yield* makeThingsClient("http://gateway").pipe(
          Effect.provideService(HttpClient.HttpClient, yield* makeAppClient(gateway))
        )
        const thing = yield* client.things.create({ payload: { name: "mug", qty: 5 } })
        expect(thing).toEqual(new Thing({ id: "t-1", name: "mug", qty: 5 }))
        const error = yield* Effect.flip(client.things.get({ path: { id: "zzz" } }))
        expect(error).toEqual(new ThingNotFound({ id: "zzz" }))
        expect(downstreamHeaders).toHaveLength(2)
        expect(downstreamHeaders[0]["x-gateway"]).toBeUndefined()

        const raw = yield* (yield* makeAppClient(gateway)).get("http://gateway/things/t-1")
        expect(raw.status).toBe(200)
        expect(raw.headers["x-gateway"]).toBe("yes")
      })
    ))

  it.effect("interruption: a handler interrupting itself answers 503; an interrupted caller ends interrupted after the handler's finalizers", () =>
    withApi(({ app, http }) =>
      Effect.gen(function*() {
        const quit = yield* http.get("http://things/quit")
        expect(quit.status).toBe(503)

        hang = { started: yield* Deferred.make<void>(), interrupted: yield* Deferred.make<void>() }
        const handler = yield* makeHandler(app)
        const call = yield* Effect.fork(
          handler(toServerRequest(HttpClientRequest.get("http://things/hang"), new URL("http://things/hang")))
        )
        yield* Deferred.await(hang.started)
        const exit = yield* Fiber.interrupt(call)
        expect(Exit.isInterrupted(exit)).toBe(true)
        expect(yield* Deferred.isDone(hang.interrupted)).toBe(true)
      })
    ))

  it("runs a whole round trip synchronously: no real Promise is awaited anywhere", () => {
    const program = withApi(({ client }) =>
      Effect.gen(function*() {
        const created = yield* client.things.create({ payload: { name: "cup", qty: 1 } })
        const missing = yield* Effect.flip(client.things.get({ path: { id: "x" } }))
        return [created, missing] as const
      })
    )
    const [created, missing] = Effect.runSync(program)
    expect(created.qty).toBe(1)
    expect(missing).toBeInstanceOf(ThingNotFound)
  })
})

// ---- makeFiberHandler: one fiber per request ---------------------------------------------------

class PodName extends Context.Tag("test/PodName")<PodName, string>() {}

class WhoAmI extends Schema.Class<WhoAmI>("WhoAmI")({ pod: Schema.String, span: Schema.String }) {}

const WhoApi = HttpApi.make("who").add(HttpApiGroup.make("who").add(HttpApiEndpoint.get("who", "/who").addSuccess(WhoAmI)))
const WhoLive = HttpApiBuilder.api(WhoApi).pipe(Layer.provide(HttpApiBuilder.group(WhoApi, "who", (handlers) =>
  handlers.handle("who", () =>
    Effect.gen(function*() {
      const span = yield* Effect.option(Effect.currentSpan)
      return new WhoAmI({ pod: yield* PodName, span: Option.match(span, { onNone: () => "none", onSome: (s) => s.name }) })
    }))
)))

class Counter extends Context.Tag("test/Counter")<Counter, { n: number }>() {}
class Counted extends Schema.Class<Counted>("Counted")({ pod: Schema.String, n: Schema.Number }) {}
const CountApi = HttpApi.make("count").add(HttpApiGroup.make("count").add(HttpApiEndpoint.get("count", "/count").addSuccess(Counted)))
const CountLive = HttpApiBuilder.api(CountApi).pipe(Layer.provide(HttpApiBuilder.group(CountApi, "count", (handlers) =>
  handlers.handle("count", () =>
    Effect.gen(function*() {
      const counter = yield* Counter
      return new Counted({ pod: yield* PodName, n: ++counter.n })
    }))
)))

/** Serves `request` the way a simulated pod does: forked on a fiber of its own, awaited by the caller. */
const onOwnFiber = <A>(effect: Effect.Effect<A>) => Effect.flatMap(Effect.fork(effect), Fiber.join)

describe("makeFiberHandler", () => {
  it.scoped("answers every request exactly as makeHandler does", () =>
    Effect.gen(function*() {
      const app = yield* httpApiApp(ApiLive)
      const perFiber = yield* makeFiberHandler(app)
      const scoped = yield* makeHandler(app)
      const requests = [
        HttpClientRequest.post("http://things/things").pipe(HttpClientRequest.bodyUnsafeJson({ name: "cup", qty: 3 })),
        HttpClientRequest.get("http://things/things/t-1"),
        HttpClientRequest.get("http://things/things/nope"),
        HttpClientRequest.post("http://things/things").pipe(HttpClientRequest.bodyUnsafeJson({ name: "cup", qty: "x" })),
        HttpClientRequest.post("http://things/things").pipe(HttpClientRequest.bodyText("{nope", "application/json")),
        HttpClientRequest.get("http://things/boom"),
        HttpClientRequest.get("http://things/quit"),
        HttpClientRequest.get("http://things/nowhere")
      ]
      const answer = (handler: typeof perFiber, request: HttpClientRequest.HttpClientRequest) =>
        Effect.flatMap(onOwnFiber(handler(toServerRequest(request, new URL(request.url)))), (response) => {
          const client = toClientResponse(request, response)
          return Effect.map(client.text, (text) => ({ status: client.status, type: client.headers["content-type"], text }))
        })
      for (const request of requests) {
        expect(yield* answer(perFiber, request)).toEqual(yield* answer(scoped, request))
      }
      expect((yield* answer(perFiber, requests[0]!)).status).toBe(201)
      expect((yield* answer(perFiber, requests[2]!)).status).toBe(404)
      expect((yield* answer(perFiber, requests[3]!)).status).toBe(400)
      expect((yield* answer(perFiber, requests[5]!)).status).toBe(500)
    }).pipe(Effect.provide(HttpServer.layerContext)))

  it.scoped("with the tracer off (the simulated pods' case) answers, reports errors and closes scopes as makeHandler does", () =>
    Effect.gen(function*() {
      const closed: Array<string> = []
      const reported: Array<string> = []
      // every request's handler adds a finalizer to the request's scope, which must be closed with its outcome
      const scopedApp = (yield* httpApiApp(ApiLive)).pipe(
        Effect.tap(() => Effect.addFinalizer((exit) => Effect.sync(() => closed.push(`ok:${exit._tag}`))))
      ) as PodApp
      const onError = (cause: Cause.Cause<unknown>) => Effect.sync(() => reported.push(Cause.pretty(cause).split("\n")[0]!))
      const perFiber = yield* makeFiberHandler(scopedApp, { onError })
      const scoped = yield* makeHandler(scopedApp, { onError })
      const requests = [
        HttpClientRequest.post("http://things/things").pipe(HttpClientRequest.bodyUnsafeJson({ name: "cup", qty: 3 })),
        HttpClientRequest.get("http://things/things/nope"),
        HttpClientRequest.post("http://things/things").pipe(HttpClientRequest.bodyUnsafeJson({ name: "cup", qty: "x" })),
        HttpClientRequest.get("http://things/boom"),
        HttpClientRequest.get("http://things/quit"),
        HttpClientRequest.get("http://things/nowhere")
      ]
      const answer = (handler: typeof perFiber, request: HttpClientRequest.HttpClientRequest) =>
        Effect.flatMap(
          onOwnFiber(handler(toServerRequest(request, new URL(request.url))).pipe(Effect.withTracerEnabled(false))),
          (response) => {
            const client = toClientResponse(request, response)
            return Effect.map(client.text, (text) => ({ status: client.status, type: client.headers["content-type"], text }))
          }
        )
      for (const request of requests) {
        const [fiberAnswer, fiberClosed, fiberReported] = [yield* answer(perFiber, request), closed.splice(0), reported.splice(0)]
        const [scopedAnswer, scopedClosed, scopedReported] = [yield* answer(scoped, request), closed.splice(0), reported.splice(0)]
        expect(fiberAnswer).toEqual(scopedAnswer)
        expect(fiberClosed).toEqual(scopedClosed)
        expect(fiberReported).toEqual(scopedReported)
      }
      // the finalizer ran for the request whose handler succeeded, and the defect was reported
      expect((yield* answer(perFiber, requests[0]!)).status).toBe(201)
      expect(closed.splice(0)).toEqual(["ok:Success"])
      expect((yield* answer(perFiber, requests[3]!)).status).toBe(500)
      expect(reported.splice(0)).toEqual(["Error: kaboom"])
    }).pipe(Effect.provide(HttpServer.layerContext)))

  it.scoped("pods of one API share its router and the platform's services; each has its own ports and per-pod services", () =>
    Effect.gen(function*() {
      // the context an app provides to its requests (typed as providing nothing: read it as what it holds)
      const contextOf = (app: PodApp) =>
        providedApp(app)!.context as Context.Context<HttpPlatform.HttpPlatform | Etag.Generator | HttpApiBuilder.Router>
      const a = contextOf(yield* httpApiApp(ApiLive))
      const b = contextOf(yield* httpApiApp(ApiLive))
      expect(Context.get(a, HttpPlatform.HttpPlatform)).toBe(Context.get(b, HttpPlatform.HttpPlatform))
      expect(Context.get(a, Etag.Generator)).toBe(Context.get(b, Etag.Generator))
      expect(Context.get(a, HttpApiBuilder.Router)).toBe(Context.get(b, HttpApiBuilder.Router))
      // two pods: each answers with its own name (a port) and its own counter (a per-pod service),
      // through the app as a Node server runs it and through the per-fiber handler
      const pod = (name: string) =>
        httpApiApp(CountLive, Layer.sync(Counter, () => ({ n: 0 }))).pipe(Effect.provideService(PodName, name))
      const [one, two] = [yield* pod("one"), yield* pod("two")]
      const count = (app: PodApp, perFiber: boolean) =>
        Effect.gen(function*() {
          const request = HttpClientRequest.get("http://count/count")
          const serverRequest = toServerRequest(request, new URL(request.url))
          const response = perFiber
            ? yield* onOwnFiber((yield* makeFiberHandler(app).pipe(Effect.provideService(PodName, "unused")))(serverRequest))
            : yield* respond(app, serverRequest)
          return JSON.parse(yield* toClientResponse(request, response).text) as { pod: string; n: number }
        })
      expect(yield* count(one, false)).toEqual({ pod: "one", n: 1 })
      expect(yield* count(two, false)).toEqual({ pod: "two", n: 1 })
      expect(yield* count(one, false)).toEqual({ pod: "one", n: 2 })
      expect((yield* count(two, true)).n).toBe(2)
    }).pipe(Effect.provide(HttpServer.layerContext)))

  it.scoped("runs the app with the pod's context and its own, without the caller's pre-response handlers", () =>
    Effect.gen(function*() {
      // the name the handler's layer was built with is overridden by the pod's, as with makeHandler
      const app = yield* httpApiApp(WhoLive).pipe(Effect.provideService(PodName, "at-build"))
      const handler = yield* makeFiberHandler(app).pipe(Effect.provideService(PodName, "who-0"))
      yield* HttpApp.appendPreResponseHandler((_request, response) =>
        Effect.succeed(HttpServerResponse.setHeader(response, "x-caller", "leaked"))
      )
      const request = HttpClientRequest.get("http://who/who")
      const response = yield* onOwnFiber(handler(toServerRequest(request, new URL(request.url))))
      expect(response.status).toBe(200)
      expect(response.headers["x-caller"]).toBeUndefined()
      const body = JSON.parse(yield* toClientResponse(request, response).text) as { pod: string; span: string }
      expect(body.pod).toBe("who-0")
      // the tracer is on here: the platform's tracer middleware still makes the request's server span
      expect(body.span).toBe("http.server GET")
      // with the tracer off, no span is made for the request
      const untraced = yield* onOwnFiber(handler(toServerRequest(request, new URL(request.url))).pipe(Effect.withTracerEnabled(false)))
      expect(JSON.parse(yield* toClientResponse(request, untraced).text).span).not.toBe("http.server GET")
    }).pipe(Effect.provide(HttpServer.layerContext)))
})
