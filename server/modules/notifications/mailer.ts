// Email to advisors (melders are never emailed), through nodemailer over SMTP_URL. A
// notification says how many items wait and links to the inbox — never case content, kind,
// category, reference or organisation: email crosses servers nobody here controls.
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createSmtpMailer(options: { smtpUrl: string; from: string }): Mailer {
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      await transport.sendMail({ from: options.from, to: message.to, subject: message.subject, text: message.text });
    },
    close() {
      transport.close();
    },
  };
}

/** The whole email: a count and a link, in Dutch and English. */
export function notificationEmail(count: number, publicUrl: string): { subject: string; text: string } {
  const nl = count === 1 ? '1 nieuwe melding of bericht' : `${count} nieuwe meldingen of berichten`;
  const en = count === 1 ? '1 new item' : `${count} new items`;
  const link = `${publicUrl}/advisor`;
  return {
    subject: `Klankbord: je hebt ${nl}`,
    text: [
      `Je hebt ${nl} in Klankbord.`,
      `Log in om ze te bekijken: ${link}`,
      '',
      `You have ${en} in Klankbord.`,
      `Log in to see them: ${link}`,
      '',
    ].join('\n'),
  };
}
