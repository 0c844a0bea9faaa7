package chain

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/gridnode/gridnode/carrier/internal/mediator"
	"github.com/gridnode/gridnode/pkg/carrierapi"
)

// TestAPIErrorCodes: each refusal of the order's life has its own code and
// status (docs/carrier-api.yaml), found through wrapping.
func TestAPIErrorCodes(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
		code   string
	}{
		{mediator.ErrNotBuyer, http.StatusBadRequest, "not_buyer"},
		{mediator.ErrNotPayee, http.StatusBadRequest, "not_payee"},
		{mediator.ErrSameManifest, http.StatusBadRequest, "same_manifest"},
		{mediator.ErrInsufficientCredits, http.StatusBadRequest, "insufficient_credits"},
		{mediator.ErrOrderClosed, http.StatusConflict, "order_closed"},
		{mediator.ErrOrderEnded, http.StatusConflict, "order_ended"},
		{mediator.ErrPriceAboveMaximum, http.StatusConflict, "price_above_maximum"},
		{mediator.ErrBadInput, http.StatusBadRequest, "bad_request"},
		{mediator.ErrNotFound, http.StatusNotFound, "not_found"},
	} {
		err := apiError(fmt.Errorf("%w: order 7: the details", tc.err))
		var ae *carrierapi.Error
		if !errors.As(err, &ae) || ae.Status != tc.status || ae.Code != tc.code {
			t.Errorf("%v → %#v, want %d %s", tc.err, err, tc.status, tc.code)
		}
	}
}
