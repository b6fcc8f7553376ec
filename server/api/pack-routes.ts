/**
 * Pack uploads (docs/api.md): `GET /api/packs/uploads` says whether and how this server accepts
 * them; `POST /api/packs` takes a zip (the raw body) and answers 201 with the pack, or 422 with
 * every problem as `{file, line?, message}`. Mounted before the other API routes, with its own
 * body limit (the zip cap).
 */
import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { PackUploads } from "../config.js";
import type { Logger } from "../logger.js";
import type { PackCatalog } from "../packs/catalog.js";
import { UPLOAD_LIMITS } from "../packs/upload-limits.js";
import { forbidden, unauthenticated } from "../errors.js";
import { ApiError } from "./errors.js";
import { bearer } from "./request.js";

export interface PackRouteDeps {
  catalog: PackCatalog;
  uploads: PackUploads;
  log: Logger;
}

function sameSecret(presented: string, key: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function packRoutes({ catalog, uploads, log }: PackRouteDeps): Hono {
  const routes = new Hono();

  routes.get("/packs/uploads", (c) => c.json({ policy: uploads.policy, maxBytes: UPLOAD_LIMITS.zipBytes }));

  routes.post(
    "/packs",
    bodyLimit({
      maxSize: UPLOAD_LIMITS.zipBytes,
      onError: () => {
        throw new ApiError(
          413,
          "body_too_large",
          `a pack zip may be at most ${UPLOAD_LIMITS.zipBytes} bytes`,
        );
      },
    }),
    async (c) => {
      if (uploads.policy === "off")
        throw forbidden("this server does not accept pack uploads (PACK_UPLOADS)");
      if (uploads.policy === "key") {
        const presented = bearer(c);
        if (!presented || !sameSecret(presented, uploads.key ?? "")) {
          throw unauthenticated(
            "uploading a pack needs this server's upload key (Authorization: Bearer <key>)",
          );
        }
      }
      const zip = new Uint8Array(await c.req.arrayBuffer());
      if (zip.byteLength === 0) throw new ApiError(400, "bad_request", "the body must be the pack's zip");
      const pending = catalog.upload(zip);
      if (pending === null) {
        throw new ApiError(429, "uploads_busy", "other packs are being checked; try again in a minute", {
          "retry-after": "60",
        });
      }
      const result = await pending;
      if (!result.ok) {
        const status = result.conflict ? 409 : 422;
        return c.json(
          {
            error: {
              code: result.conflict ? "pack_exists" : "pack_invalid",
              message: `the pack has ${result.problems.length} problem(s)`,
              problems: result.problems,
            },
          },
          status,
        );
      }
      const pack = result.pack;
      log.info({ pack: pack.id, tasks: pack.tasks.length }, "pack uploaded");
      return c.json(
        {
          id: pack.id,
          title: pack.title,
          uploaded: true,
          tasks: pack.tasks.map((t) => ({ id: t.id, title: t.title })),
        },
        201,
      );
    },
  );
  return routes;
}
