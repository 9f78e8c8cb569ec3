/** The one chat completion the minimal upstream (minimal-openai.ts) answers to every POST, as JSON text. */
export const minimalCompletion = JSON.stringify({
  id: 'chatcmpl-local',
  object: 'chat.completion',
  created: 1_767_225_600,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      finish_reason: 'stop',
      message: {
        role: 'assistant',
        content:
          'Your order left our warehouse yesterday and should arrive within two working days. You can follow it with the tracking link in your confirmation email, and we will write again when it is out for delivery.',
      },
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 44, total_tokens: 56 },
});
