import { registry } from "@web/core/registry";

/**
 * A seller opens "My shop" and reads their performance: the sales chart
 * with one bar per month, the dispute rate against the marketplace median,
 * and the advice of the last monthly review.
 */
registry.category("web_tour.tours").add("marketplace_seller_performance", {
    url: "/my/seller",
    steps: () => [
        {
            content: "The sales chart is drawn, one bar per month of the last 12",
            trigger: "#seller_sales_chart svg",
            run() {
                const bars = document.querySelectorAll(
                    "#seller_sales_chart rect.o_mp_sales_bar"
                );
                if (bars.length !== 12) {
                    console.error(`Expected 12 monthly bars, found ${bars.length}`);
                }
            },
        },
        { content: "The rating chart", trigger: "#seller_rating_chart svg" },
        {
            content: "Own dispute rate next to the median",
            trigger: "#seller_dispute_rate .o_mp_own:contains('50.0')",
        },
        {
            content: "The advice of the last review",
            trigger: "#seller_review_advice li:contains('Better photos')",
        },
    ],
});
