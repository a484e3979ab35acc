import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({
  apiKey: "sk-ant-api03-jxCJF8DaDH5n28vjjgLlSn_q37zJVYusxCI6sq9jDXw1779qpFipokbV70vBQ6z3vwt633sVf-skAo44VfcUZ7IfRFPWLAA",
});

export async function summarize(text: string): Promise<string> {
  const msg = await client.messages.create({
    model: "claude-3-5-haiku-latest",
    max_tokens: 400,
    messages: [{ role: "user", content: `Summarize:\n\n${text}` }],
  });
  return msg.content.map((b) => (b.type === "text" ? b.text : "")).join("");
}
