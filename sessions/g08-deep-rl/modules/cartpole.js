/**
 * Given to every task of this pack (import { rng, cartPole } from "pack/cartpole"): a seedable
 * uniform generator and cart-pole (Barto, Sutton & Anderson 1983; the physics of Gym's CartPole-v0).
 */
export function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** State [x, xDot, theta, thetaDot]; actions 0 (push left) and 1 (push right); reward 1 per step. */
export function cartPole(u, maxSteps = 200) {
  const g = 9.8,
    massCart = 1,
    massPole = 0.1,
    total = 1.1,
    halfLength = 0.5,
    force = 10,
    tau = 0.02;
  let s = [0, 0, 0, 0],
    t = 0;
  return {
    nA: 2,
    reset() {
      s = s.map(() => 0.1 * u() - 0.05);
      t = 0;
      return s.slice();
    },
    step(a) {
      const [x, xDot, theta, thetaDot] = s;
      const f = a === 1 ? force : -force;
      const cos = Math.cos(theta),
        sin = Math.sin(theta);
      const temp = (f + massPole * halfLength * thetaDot * thetaDot * sin) / total;
      const thetaAcc = (g * sin - cos * temp) / (halfLength * (4 / 3 - (massPole * cos * cos) / total));
      const xAcc = temp - (massPole * halfLength * thetaAcc * cos) / total;
      s = [x + tau * xDot, xDot + tau * xAcc, theta + tau * thetaDot, thetaDot + tau * thetaAcc];
      t++;
      const fell = Math.abs(s[0]) > 2.4 || Math.abs(s[2]) > (12 * Math.PI) / 180;
      return { s2: s.slice(), r: 1, done: fell || t >= maxSteps, fell };
    },
  };
}
