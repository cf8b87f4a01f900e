package bot

import "testing"

func TestCurrencies(t *testing.T) {
	c := DefaultCurrencies()
	tests := []struct {
		amount float64
		cur    string
		want   float64
		ok     bool
	}{
		{45, "USD", 45, true},
		{45, "", 45, true},
		{92, "eur", 100, true},
		{150, "JPY", 1, true},
		{10, "XYZ", 0, false},
	}
	for _, tt := range tests {
		got, ok := c.ToUSD(tt.amount, tt.cur)
		if ok != tt.ok || (got-tt.want > 1e-9 || tt.want-got > 1e-9) {
			t.Errorf("ToUSD(%v, %q) = %v, %v; want %v, %v", tt.amount, tt.cur, got, ok, tt.want, tt.ok)
		}
	}
	if len(c) < 25 {
		t.Errorf("default table has %d currencies, want at least 25", len(c))
	}
}
