package notify

import (
	"github.com/sendgrid/sendgrid-go"
	"github.com/sendgrid/sendgrid-go/helpers/mail"
)

const sendgridKey = "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"

func SendReceipt(to, name, body string) error {
	from := mail.NewEmail("Billing", "billing@example.org")
	msg := mail.NewSingleEmail(from, "Your receipt", mail.NewEmail(name, to), body, "")
	_, err := sendgrid.NewSendClient(sendgridKey).Send(msg)
	return err
}
