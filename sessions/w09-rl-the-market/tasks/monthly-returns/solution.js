import { data, plot } from "scratch";

// { MSFT: [39.81, 36.35, …], AMZN: […], … } in row order.
export function groupBySymbol(rows) {
  const out = {};
  for (const { symbol, price } of rows) (out[symbol] ??= []).push(price);
  return out;
}

// r_t = p_t / p_{t-1} - 1, for t = 1 … n-1.
export function monthlyReturns(prices) {
  const r = [];
  for (let t = 1; t < prices.length; t++) r.push(prices[t] / prices[t - 1] - 1);
  return r;
}

export function summarize(xs) {
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
  return { mean, std };
}

const prices = groupBySymbol(
  data.table("stocks").rows.map(([symbol, date, price]) => ({ symbol, date, price })),
);
const symbols = Object.keys(prices);
plot.line(prices, { title: "monthly closing price", xLabel: "month since Jan 2000", yLabel: "USD" });
for (const s of symbols) {
  const r = monthlyReturns(prices[s]);
  const { mean, std } = summarize(r);
  console.log(`${s}: ${r.length} months, mean ${(100 * mean).toFixed(2)}%, std ${(100 * std).toFixed(2)}%`);
}
plot.histogram(monthlyReturns(prices[symbols[0]]), { title: `monthly returns of ${symbols[0]}`, bins: 30 });
