# The referee of bands: fit a curve with R (tests/r/fit.R's nlsLM + nls) and give the fitted
# values at some periods with their delta-method standard errors, as JSON.
#
# Usage: Rscript tests/r/band.R CASES.csv
#
# CASES.csv has the columns name, file, kind, model (as for fit.R) and periods: the periods at
# which to evaluate the curve, separated by spaces. Per period the output has the fitted value
# (cumulative F(x), or F(x) - F(x - step) for per-period data) and its standard error
# sqrt(g' V g): V is vcov() of the nls fit and g the gradient of the value with respect to the
# coefficients, by central differences of R's own curve. The 95% band R users would draw is
# value +- qnorm(0.975) se.

script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
source(file.path(dirname(script), "fit.R"))

value_of <- function(curve, kind, step, periods) {
  function(th) {
    if (kind == "cumulative") curve(periods, th) else curve(periods, th) - curve(periods - step, th)
  }
}

delta_case <- function(x, y, kind, model, periods) {
  result <- fit_case(x, y, kind, model)
  if (is.null(result$fit)) {
    return(NULL)
  }
  step <- if (length(x) > 1) median(diff(x)) else 1
  launch <- if (model == "bass" && kind == "per-period") x[1] - step else NULL
  value <- value_of(curve_of(model, x[1], launch), kind, step, periods)
  th <- coef(result$fit)
  gradient <- sapply(seq_along(th), function(j) {
    h <- 1e-5 * max(abs(th[[j]]), 1e-2)
    up <- th
    down <- th
    up[[j]] <- th[[j]] + h
    down[[j]] <- th[[j]] - h
    (value(as.list(up)) - value(as.list(down))) / (2 * h)
  })
  gradient <- matrix(gradient, nrow = length(periods))
  se <- sqrt(pmax(rowSums((gradient %*% vcov(result$fit)) * gradient), 0))
  list(value = value(as.list(th)), se = se, converged = result$converged)
}

numbers <- function(v) paste(vapply(v, num, character(1)), collapse = ", ")

band_main <- function(args) {
  each_case(args, "band.R", function(case, history) {
    periods <- as.numeric(strsplit(trimws(case$periods), " +")[[1]])
    band <- delta_case(as.numeric(history$period), as.numeric(history$value), case$kind,
                       case$model, periods)
    head <- sprintf('{"name": "%s", "periods": [%s]', case$name, numbers(periods))
    if (is.null(band)) {
      paste0(head, ', "converged": false}')
    } else {
      paste0(head, ', "converged": ', tolower(as.character(band$converged)),
             ', "value": [', numbers(band$value), '], "se": [', numbers(band$se), "]}")
    }
  })
}

band_main(commandArgs(trailingOnly = TRUE))
