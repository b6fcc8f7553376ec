/**
 * The relay on its own, without servers: rooms fed straight to RedisRelay instances.
 */
import { randomBytes } from "node:crypto";
import { afterEach, expect, it } from "vitest";
import { describeWith, REDIS_URL } from "../../test/support/requirements.js";
import { createLogger } from "../logger.js";
import { Room } from "../sync/room.js";
import { until } from "../../support/server.js";
import { RedisRelay, type RedisRelayOptions } from "./redis-relay.js";
import { TcpProxy } from "./test/tcp-proxy.js";

await describeWith(["redis"], "RedisRelay", () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  const log = createLogger("silent");
  const options = (url: string, instanceId: string, channelPrefix: string): RedisRelayOptions => ({
    url,
    channelPrefix,
    instanceId,
    syncTimeoutMs: 1000,
    custodyMs: 3000,
  });

  it("starts while Redis is unreachable, serves alone, and syncs once Redis is there", async () => {
    const prefix = `test-${randomBytes(6).toString("hex")}:`;
    const proxy = await TcpProxy.start({ host: "127.0.0.1", port: 6379 });
    cleanup.push(() => proxy.close());
    proxy.cut();

    const late = await RedisRelay.start(
      options(`redis://127.0.0.1:${proxy.port}`, "late", prefix),
      () => {},
      null,
      log,
      300,
    );
    cleanup.push(() => late.close());
    expect(late.bothReady()).toBe(false);
    const lateRoom = new Room("workspace/s/w", () => {});
    cleanup.push(() => lateRoom.destroy());
    await late.loaded(lateRoom); // does not wait for a Redis that is not there
    lateRoom.doc.getText("t").insert(0, "made while Redis was away;");

    const early = await RedisRelay.start(options(REDIS_URL, "early", prefix), () => {}, null, log);
    cleanup.push(() => early.close());
    const earlyRoom = new Room("workspace/s/w", () => {});
    cleanup.push(() => earlyRoom.destroy());
    await early.loaded(earlyRoom);
    earlyRoom.doc.getText("t").insert(0, "made on the other instance;");

    proxy.restore();
    const text = (room: Room) => room.doc.getText("t").toString();
    await until(
      () =>
        text(lateRoom) === text(earlyRoom) &&
        text(lateRoom).includes("Redis was away") &&
        text(lateRoom).includes("other instance"),
      10_000,
      "both rooms synced once Redis is reachable",
    );
    earlyRoom.doc.getText("t").insert(0, "live;");
    await until(() => text(lateRoom).startsWith("live;"), 5000, "live relaying afterwards");
  });
});
