/**
 * The multi-instance deployment (docs/deploy.md): docker-compose.yml must validate with Debian's
 * docker-compose (no engine runs here) and describe two app instances behind nginx, Postgres and
 * Redis, wired together, with health checks.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { describeWith } from "../support/requirements.js";

const root = new URL("../../", import.meta.url).pathname;

interface ComposeService {
  build?: unknown;
  image?: string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  volumes?: string[];
}

function renderedCompose(): { services: Record<string, ComposeService> } {
  const out = execFileSync("docker-compose", ["-f", "docker-compose.yml", "config"], {
    cwd: root,
    env: { ...process.env, SCRATCHROOM_SECRET: "test-secret" },
    encoding: "utf8",
  });
  return parse(out) as { services: Record<string, ComposeService> };
}

await describeWith(["docker-compose"], "docker-compose.yml", () => {
  it("validates and runs two app instances behind nginx with Postgres and Redis", () => {
    const { services } = renderedCompose();
    expect(Object.keys(services).sort()).toEqual(["app1", "app2", "nginx", "postgres", "redis"]);
    for (const name of ["app1", "app2"]) {
      const app = services[name]!;
      expect(app.environment?.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
      expect(app.environment?.REDIS_URL).toBe("redis://redis:6379");
      expect(app.environment?.SECRET).toBe("test-secret");
      expect(app.environment?.TRUST_PROXY).toBe("1");
      expect(app.depends_on?.postgres?.condition).toBe("service_healthy");
      expect(app.depends_on?.redis?.condition).toBe("service_healthy");
      expect(JSON.stringify(app.healthcheck?.test)).toContain("/healthz");
    }
    expect(services.app1!.volumes).not.toEqual(services.app2!.volumes);
    expect(services.nginx!.depends_on?.app1?.condition).toBe("service_healthy");
    for (const name of Object.keys(services)) expect(services[name]!.healthcheck, name).toBeDefined();
  });

  it("refuses to render without the shared token secret", () => {
    const env = { ...process.env };
    delete env.SCRATCHROOM_SECRET;
    expect(() =>
      execFileSync("docker-compose", ["-f", "docker-compose.yml", "config", "-q"], {
        cwd: root,
        env,
        stdio: "pipe",
      }),
    ).toThrow(/SCRATCHROOM_SECRET/);
  });
});

it("routes by session id with a consistent hash (room affinity)", () => {
  const conf = readFileSync(`${root}/deploy/nginx.conf`, "utf8");
  expect(conf).toMatch(/hash \$scratchroom_session consistent;/);
  expect(conf).toMatch(/server app1:8080/);
  expect(conf).toMatch(/server app2:8080/);
  expect(conf).toContain("proxy_set_header Upgrade $http_upgrade;");
  // Tokens ride in query strings: the access log format must not record them.
  expect(conf).toMatch(/access_log \S+ scratchroom;/);
  const logFormat = conf.slice(
    conf.indexOf("log_format scratchroom"),
    conf.indexOf(";", conf.indexOf("log_format scratchroom")),
  );
  expect(logFormat).not.toMatch(/\$request_uri|\$args|\$query_string|\$request /);
  // Every URL form that carries a session id is mapped to it.
  for (const pattern of ["/sync/session/", "/sync/workspace/", "/api/sessions/", "(room|host)"]) {
    expect(conf).toContain(pattern);
  }
});

it("builds a multi-stage, non-root image with production dependencies only", () => {
  const dockerfile = readFileSync(`${root}/Dockerfile`, "utf8");
  expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
  expect(dockerfile).toMatch(/npm prune --omit=dev/);
  expect(dockerfile).toMatch(/^USER node$/m);
});
