// A moving test pattern drawn on a canvas, shareable as a "screen" where no real screen can be
// captured (headless browsers, kiosks).
import { demoDefaults } from "../defaults.ts";

export function testPatternStream(): MediaStream {
  const { width, height, fps } = demoDefaults.testPattern;
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d")!;
  const stream = canvas.captureStream(fps);
  let frame = 0;
  const draw = () => {
    frame += 1;
    ctx.fillStyle = `hsl(${(frame * 3) % 360} 60% 35%)`;
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = "#fff";
    ctx.font = "bold 64px sans-serif";
    ctx.fillText(`shared screen · frame ${frame}`, 60, height / 2);
  };
  const timer = setInterval(draw, 1000 / fps);
  draw();
  const track = stream.getVideoTracks()[0];
  track?.addEventListener("ended", () => clearInterval(timer));
  return stream;
}
