import { nn, data, plot } from "scratch";

export class ResidualBlock extends nn.Module {
  constructor(channels) {
    super();
    // TODO: this.conv1 and this.conv2, 3 × 3 convolutions with padding 1 that keep the channel count
  }

  forward(x) {
    return x; // TODO: ReLU(x + conv2(ReLU(conv1(x))))
  }
}

const { x } = data.mnist({ n: 1, seed: 3 });
const digit = x.reshape([1, 1, 28, 28]);
const block = new ResidualBlock(4);
const input = digit.broadcastTo([1, 4, 28, 28]);
const out = block.forward(input);
console.log(`input [${input.shape}] → output [${out.shape}]`);
plot.image(digit.reshape([28, 28]), { title: "input digit" });
for (let c = 0; c < 2; c++)
  plot.heatmap(out.slice([0, c, 0, 0], [1, 1, 28, 28]).reshape([28, 28]), {
    title: `block output, channel ${c}`,
  });
